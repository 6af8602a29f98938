package io.streamanalytics.common;

/**
 * The exit statuses of every service, so that whatever runs them (compose's {@code restart: on-failure}, the local
 * stack's script, an operator) reads them the same way. A JVM ended by SIGTERM exits 143 (128 + 15) on its own once
 * its shutdown hooks have run; no service calls {@code System.exit} then, so that status has no constant here.
 */
public enum ExitCode {
    /** Finished (a finite run is done), or stopped on request. */
    OK(0),
    /**
     * Could not start, failed while running, or did not do its job (the simulator: a record was not acknowledged).
     * Running it again may help.
     */
    FAILED(1),
    /**
     * Invalid settings: nothing was started, and running it again with the same settings cannot help. The same
     * status as picocli's for a command line it cannot parse.
     */
    CONFIGURATION(2);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
