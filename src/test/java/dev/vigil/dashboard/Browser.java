package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through /usr/bin/chromedriver (never a downloaded driver), with a
 * fresh profile and downloads going to {@code downloads}; both are deleted on close. Fails, not
 * skips, when either binary is missing: {@code ./vigil test} installs them.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    static Browser start(Path downloads) throws Exception {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                fail(
                        p
                                + " is missing: the dashboard's browser tests need Debian's chromium"
                                + " and chromium-driver. Install them with `apt-get install -y"
                                + " chromium chromium-driver` (./vigil test does so when run as"
                                + " root).");
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("vigil-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        o.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        downloads.toString(),
                        "download.prompt_for_download",
                        false));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        return new Browser(new ChromeDriver(service, o), profile, downloads);
    }

    WebElement find(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)));
    }

    /**
     * Waits until an element {@code css} shows {@code text} (a substring); returns its text. Pages
     * re-render after actions, so an element seen may be replaced before it is read: retried.
     */
    String awaitText(String css, String text) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(css + " never showed '" + text + "'")
                .ignoring(StaleElementReferenceException.class)
                .until(
                        d ->
                                d.findElements(By.cssSelector(css)).stream()
                                        .map(WebElement::getText)
                                        .filter(t -> t.contains(text))
                                        .findFirst()
                                        .orElse(null));
    }

    /**
     * Saves a PNG of the window to target/screenshots (the build artifact), and to docs/screenshots
     * (what the README shows) only when run with {@code -Dvigil.updateScreenshots=true}, so a test
     * run leaves the work tree as it was.
     */
    void screenshot(String name) throws Exception {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        java.util.List<Path> dirs =
                new java.util.ArrayList<>(java.util.List.of(Path.of("target/screenshots")));
        if (Boolean.getBoolean("vigil.updateScreenshots")) {
            dirs.add(Path.of("docs/screenshots"));
        }
        for (Path dir : dirs) {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), png);
        }
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        // The profile and the downloads directory it was given are the browser's: nothing of a
        // test run stays in the temporary directory.
        for (Path dir : new Path[] {profile, downloads}) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
