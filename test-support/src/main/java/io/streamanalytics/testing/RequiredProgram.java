package io.streamanalytics.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program outside the JVM that a test drives (Chromium, promtool, podman...). Where it is missing the test is
 * skipped and says why, so that {@code verify} still answers on a machine with Java alone; in CI ({@code CI=true},
 * set by {@code .ci/run}, which installs every such program) a missing program fails the test instead, so that a
 * broken installation cannot pass as a skip.
 */
public final class RequiredProgram {

    private RequiredProgram() {}

    /** True when this run is CI's, where nothing may be skipped for want of a program. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Returns {@code program} when it is an executable file; otherwise skips the calling test, or fails it in CI.
     *
     * @param installedBy how to get it, e.g. "apt-get install -y chromium"
     */
    public static Path require(Path program, String installedBy) {
        if (Files.isExecutable(program)) {
            return program;
        }
        unavailable(program + " is missing (" + installedBy + ")");
        return program;
    }

    /**
     * Skips the calling test because something it needs is not available here, with that reason; fails it in CI.
     */
    public static void unavailable(String reason) {
        if (inCi()) {
            fail("CI must run this test, but " + reason + " (.ci/run installs it)");
        }
        Assumptions.abort(reason);
    }
}
