package io.streamanalytics.testing;

import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its driver, headless, as the dashboard tests use them: {@link RequiredProgram}s. Selenium's
 * own driver download is not used: the machines that run the tests reach no browser vendor's site.
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** Options for a headless window of this size, quiet (no sync, updates or first-run pages), adjustable further. */
    public static ChromeOptions options(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(
                RequiredProgram.require(CHROMIUM, "apt-get install -y chromium").toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height);
        return options;
    }

    /** Starts the browser; {@link ChromeDriver#quit()} ends it. */
    public static ChromeDriver start(ChromeOptions options) {
        Path driver = RequiredProgram.require(CHROMEDRIVER, "apt-get install -y chromium-driver");
        return new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driver.toFile())
                        .build(),
                options);
    }
}
