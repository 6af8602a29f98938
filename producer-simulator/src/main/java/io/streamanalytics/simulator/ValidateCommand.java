package io.streamanalytics.simulator;

import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.topics.Topics;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import io.streamanalytics.simulator.replay.EventFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code validate TYPE FILE}: checks a JSON-lines file against the published contracts, for producer authors. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a JSON-lines file (one event per line) against the event contracts and reports "
                    + "every invalid line with its number and the reason.",
            "Exit status: 0 if every line is valid, 1 if any is not, 2 if the file cannot be read."
        })
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            description = "Event type: clickstream, random-values, twitter, voters, scotsmen, bagpipe, "
                    + "or auto to detect each line's type from its fields.")
    private String type;

    @Parameters(index = "1", description = "The JSON-lines file.")
    private Path file;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<EventType> topic = Optional.empty();
        if (!type.equals("auto")) {
            topic = Topics.byName(type);
            if (topic.isEmpty()) {
                err.println("unknown type '" + type + "'; expected one of "
                        + Topics.INPUTS.stream().map(EventType::topicName).collect(Collectors.joining(", "))
                        + ", auto");
                return 2;
            }
        }
        if (!Files.isReadable(file)) {
            err.println("cannot read " + file);
            return 2;
        }
        AtomicLong valid = new AtomicLong();
        AtomicLong invalid = new AtomicLong();
        try {
            EventFile.read(file, topic, new EventValidator(Clock.systemUTC()), line -> {
                if (line.validation() instanceof Validation.Invalid bad) {
                    invalid.incrementAndGet();
                    out.println("line " + line.number() + ": " + bad.reason());
                } else {
                    valid.incrementAndGet();
                }
            });
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.println(file + ": " + (valid.get() + invalid.get()) + " events, " + valid.get() + " valid, " + invalid.get()
                + " invalid");
        out.flush();
        return invalid.get() == 0 ? 0 : 1;
    }
}
