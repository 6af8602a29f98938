package io.streamanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamanalytics.schemas.topics.EventType;
import io.streamanalytics.schemas.validate.EventValidator;
import io.streamanalytics.schemas.validate.Validation;
import io.streamanalytics.simulator.config.SimulatorConfig;
import io.streamanalytics.simulator.config.StreamConfig;
import io.streamanalytics.simulator.generate.EventStream;
import io.streamanalytics.simulator.generate.SimRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The simulator's part of each event type: a stream with its generator and its own options, for every type. */
class SimulatorEventTypesTest {

    @Test
    void everyEventTypeStreamsValidEventsOfItsOwnRecordClassKeyedAsItsTypeSays() {
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        commandLine.parseArgs("--seed", "1", "--start-time", "2024-12-03T10:00:00Z");
        SimulatorConfig config = ((SimulatorCommand) commandLine.getCommand()).toConfig();
        EventValidator validator = new EventValidator(Clock.systemUTC());

        assertThat(config.streams()).extracting(StreamConfig::topic).containsExactly(EventType.values());
        for (StreamConfig stream : config.streams()) {
            EventStream<?> events = Simulator.stream(config, stream);
            for (int i = 0; i < 100; i++) {
                SimRecord record = events.next();
                assertThat(record.topic()).isEqualTo(stream.topic());
                assertThat(record.event()).isInstanceOf(stream.topic().recordClass());
                assertThat(record.key()).isEqualTo(stream.topic().key(record.event()));
                assertThat(validator.validate(stream.topic(), record.value()))
                        .as(stream.topic().topicName())
                        .isEqualTo(new Validation.Valid(record.event()));
            }
        }
    }

    @Test
    void everyEventTypeHasItsStreamOptionsAndValidateNamesEveryTypeWhenGivenAnUnknownOne() {
        CommandLine commandLine = SimulatorCommand.commandLine(Map.of());
        for (EventType type : EventType.values()) {
            for (String option : new String[] {"enabled", "rate", "count", "duration"}) {
                assertThat(commandLine.getCommandSpec().findOption("--" + type.topicName() + "-" + option))
                        .as(type.topicName() + " " + option)
                        .isNotNull();
            }
        }
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));

        assertThat(commandLine.execute("validate", "sensors", "no-such-file.jsonl"))
                .isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("unknown type 'sensors'; expected one of clickstream, random-values, twitter, "
                        + "voters, scotsmen, bagpipe, auto" + System.lineSeparator());
    }
}
