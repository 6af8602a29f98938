package io.streamanalytics.simulator;

/** {@code java -jar producer-simulator.jar [options]}, or {@code ... validate TYPE FILE}; {@code --help} lists every option. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        System.exit(SimulatorCommand.commandLine(System.getenv()).execute(args));
    }
}
