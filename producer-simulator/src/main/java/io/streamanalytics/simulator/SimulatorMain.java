package io.streamanalytics.simulator;

import io.streamanalytics.common.ServiceRunner;

/**
 * {@code java -jar producer-simulator.jar [options]}, or {@code ... validate TYPE FILE}; {@code --help} lists every
 * option. A run exits 0 when every record was acknowledged, 1 when one was not or the run failed, 2 for invalid
 * options or settings, 143 after SIGTERM (see {@link io.streamanalytics.common.ExitCode}).
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        ServiceRunner.exit(SimulatorCommand.commandLine(System.getenv()).execute(args));
    }
}
