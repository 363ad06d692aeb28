package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through
 * chromedriver, against real {@code node} processes. Each step saves a screenshot under
 * {@code cli/target/dashboard-screenshots/}. Without chromium and chromedriver the tests fail
 * (they are part of the suite; {@code .ci/run} installs both).
 */
class DashboardIT extends ClusterFixture {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private ChromeDriver browser;
    private WebDriverWait wait;
    private String testName;
    private int shot;

    @BeforeEach
    void browser(TestInfo info) {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the dashboard tests need Debian's chromium and chromium-driver (%s, %s): apt-get install"
                        + " chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,1000", "--user-data-dir=" + tmp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aFileSharedThroughTheDashboardIsDownloadedByIdOnASecondNodeTo100Percent() throws Exception {
        NodeCluster.Member a = cluster.start();
        NodeCluster.Member b = cluster.start(a.endpoint());
        signIn(a);
        wait.until(ExpectedConditions.textMatches(By.cssSelector("dd[data-fact='Node ID']"),
                java.util.regex.Pattern.compile("[0-9a-f]{40}")));

        Path original = tmp.resolve("song.ogg");
        Files.write(original, random(3_000_000));
        browser.findElement(By.id("nav-shares")).click();
        browser.findElement(By.id("put-path")).sendKeys(original.toString());
        browser.findElement(By.id("put-button")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#shared tbody tr")));
        String id = row.getAttribute("data-id");
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(row.getText()).contains("song.ogg").contains("2.9 MiB");

        Path fromBrowser = tmp.resolve("photo.jpg");
        Files.write(fromBrowser, random(200_000));
        browser.findElement(By.id("upload-file")).sendKeys(fromBrowser.toString());
        browser.findElement(By.id("upload-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Uploaded and shared photo.jpg"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#shared tbody tr"), 2));
        assertThat(Files.readAllBytes(a.dataDir().resolve(BrowserUploads.DIRECTORY).resolve("photo.jpg")))
                .isEqualTo(Files.readAllBytes(fromBrowser));
        screenshot("shares");

        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        signIn(b);
        WebElement peer = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#peers tbody tr")));
        assertThat(peer.getText()).contains(a.endpoint()).contains("live");
        assertThat(peer.findElement(By.className("rtt")).getText()).matches("\\d+ ms");
        screenshot("home");
        startDownload(id);
        WebElement finished = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#transfers tr[data-id='" + id + "'][data-state='done']")));
        assertThat(finished.findElement(By.className("peers")).getText()).contains(a.endpoint());
        assertThat(finished.findElement(By.className("percent")).getText()).startsWith("100%");
        screenshot("download-done");
        Path fetched = b.dataDir().resolve(ControlRoutes.DOWNLOADS).resolve("song.ogg");
        assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void aFileFoundBySearchAndListedByBrowseIsFetchedWithItsGetButtonAndNothingFoundOrNoContactsIsSaid()
            throws Exception {
        NodeCluster.Member a = cluster.start();
        NodeCluster.Member b = cluster.start(a.endpoint());
        String name = "kestrel7 <img src=x> field notes.ogg"; // markup in a name is text, never a tag
        Path original = tmp.resolve(name);
        Files.write(original, random(1_500_000));
        String id = share(a, original);
        signIn(b);

        By found = By.cssSelector("#search-results tr[data-id='" + id + "']");
        browser.findElement(By.id("nav-search")).click();
        type("search-words", "KESTREL7");
        WebElement result = untilListed(found, "search-button");
        assertThat(result.findElement(By.className("name")).getText()).isEqualTo(name);
        assertThat(result.findElement(By.className("size")).getText()).isEqualTo("1.4 MiB");
        assertThat(result.findElement(By.className("id")).getAttribute("title")).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("#search-results img"))).isEmpty();
        assertThat(browser.findElement(By.id("search-message")).getText()).contains("found in");
        screenshot("search-found");

        browser.findElement(By.id("nav-browse")).click();
        type("browse-seconds", "3");
        WebElement listed = untilListed(By.cssSelector("#browse-results tr[data-id='" + id + "']"), "browse-button");
        assertThat(listed.findElement(By.className("name")).getText()).isEqualTo(name);
        assertThat(listed.findElement(By.className("size")).getText()).isEqualTo("1.4 MiB");
        screenshot("browse-listed");

        browser.findElement(By.id("nav-search")).click();
        browser.findElement(found).findElement(By.className("get")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Started download"));
        browser.findElement(By.id("nav-downloads")).click();
        WebElement done = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#transfers tr[data-id='" + id + "'][data-state='done']")));
        assertThat(done.findElement(By.className("percent")).getText()).startsWith("100%");
        screenshot("got-from-search");
        assertThat(Files.readAllBytes(b.dataDir().resolve(ControlRoutes.DOWNLOADS).resolve(name)))
                .isEqualTo(Files.readAllBytes(original));

        browser.findElement(By.id("nav-search")).click();
        type("search-words", "zyxwvut nonexistent");
        submitAndAwaitMessage("search", "Nothing found for \u201czyxwvut nonexistent\u201d");
        screenshot("search-nothing-found");

        NodeCluster.Member alone = cluster.start();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        signIn(alone);
        browser.findElement(By.id("nav-search")).click();
        type("search-words", "kestrel7");
        submitAndAwaitMessage("search", "this node has no contacts in the network");
        screenshot("search-no-contacts");
        browser.findElement(By.id("nav-browse")).click();
        type("browse-seconds", "1");
        submitAndAwaitMessage("browse", "Nothing found: no node answered");
        screenshot("browse-nothing-found");
    }

    private void type(String inputId, String text) {
        WebElement input = browser.findElement(By.id(inputId));
        input.clear();
        input.sendKeys(text);
    }

    /** Submits the Search or Browse form, waits for its message and checks that it lists no file. */
    private void submitAndAwaitMessage(String screen, String message) {
        browser.findElement(By.id(screen + "-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(screen + "-message"), message));
        assertThat(browser.findElement(By.id(screen + "-results")).isDisplayed()).isFalse();
    }

    /**
     * Clicks the button until the row is listed (a put's keyword records and announce are still on
     * their way a moment after it returns); a click only when the last answer is in.
     */
    private WebElement untilListed(By row, String buttonId) {
        return wait.until(d -> {
            List<WebElement> rows = d.findElements(row);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            WebElement b = d.findElement(By.id(buttonId));
            if (b.isEnabled()) {
                b.click();
            }
            return null;
        });
    }

    @Test
    void aDownloadInProgressIsPausedAndResumedToTheEndFromThePage() throws Exception {
        SlowDownload slow = slowDownloadUnderWay("slow.bin");
        NodeCluster.Member b = slow.getter();
        Path original = slow.original();
        By row = slow.row();
        screenshot("downloading");
        click(row, "pause");
        wait.until(ExpectedConditions.attributeToBe(row, "data-state", "paused"));
        wait.until(d -> transfersInProgress(b) == 0);
        screenshot("paused");

        click(row, "resume");
        wait.until(ExpectedConditions.attributeToBe(row, "data-state", "done"));
        assertThat(browser.findElement(row).findElement(By.className("percent")).getText()).startsWith("100%");
        screenshot("resumed-done");
        assertThat(Files.readAllBytes(b.dataDir().resolve(ControlRoutes.DOWNLOADS).resolve("slow.bin")))
                .isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void twoTabsCancellingTheSameDownloadBothShowItCancelledWithoutAnError() throws Exception {
        SlowDownload slow = slowDownloadUnderWay("twice.bin");
        NodeCluster.Member b = slow.getter();
        String id = slow.id();
        By row = slow.row();
        String first = browser.getWindowHandle();
        String page = browser.getCurrentUrl();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        browser.get(page);
        String second = browser.getWindowHandle();
        wait.until(ExpectedConditions.attributeToBe(row, "data-state", "running"));
        // The second tab's Cancel, kept as it is now: clicked below after the first tab's cancel,
        // as by a user whose page has not refreshed yet.
        browser.executeScript("window.staleCancel = document.querySelector(arguments[0]);",
                "#transfers tr[data-id='" + id + "'] button.cancel");

        browser.switchTo().window(first);
        click(row, "cancel");
        wait.until(ExpectedConditions.attributeToBe(row, "data-state", "cancelled"));
        screenshot("first-tab-cancelled");

        browser.switchTo().window(second);
        browser.executeScript("window.staleCancel.click();");
        wait.until(ExpectedConditions.attributeToBe(row, "data-state", "cancelled"));
        assertThat(browser.findElement(By.id("notice")).getAttribute("class")).doesNotContain("error");
        assertThat(browser.findElement(row).getText()).contains("cancelled");
        screenshot("second-tab-cancelled");
        wait.until(d -> transfersInProgress(b) == 0);
        assertThat(Files.exists(b.dataDir().resolve(ControlRoutes.DOWNLOADS).resolve("twice.bin"))).isFalse();
    }

    /** A download in the dashboard of a second node from a holder that uploads at 200 kB/s. */
    private record SlowDownload(NodeCluster.Member getter, Path original, String id, By row) {
    }

    /** Starts a slow download of a 4 MB file in the browser and waits until it is under way. */
    private SlowDownload slowDownloadUnderWay(String name) throws Exception {
        NodeCluster.Member holder = cluster.startConfigured(List.of("upload.rate=200k"));
        NodeCluster.Member getter = cluster.start(holder.endpoint());
        Path original = tmp.resolve(name);
        Files.write(original, random(4_000_000));
        String id = share(holder, original);
        signIn(getter);
        By row = startDownload(id);
        awaitPartly(row);
        return new SlowDownload(getter, original, id, row);
    }

    private static String share(NodeCluster.Member m, Path file) throws Exception {
        NodeProcess.Result put = NodeCluster.run(m, "put", file.toString());
        assertThat(put.exitCode()).as(put.toString()).isZero();
        String id = put.stdout().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        return id;
    }

    private By startDownload(String id) {
        browser.findElement(By.id("nav-downloads")).click();
        wait.until(ExpectedConditions.attributeContains(By.id("get-dir"), "value", "downloads"));
        browser.findElement(By.id("get-id")).sendKeys(id);
        browser.findElement(By.id("get-button")).click();
        return By.cssSelector("#transfers tr[data-id='" + id + "']");
    }

    /** Waits until the download is under way: some bytes in, not all. */
    private void awaitPartly(By row) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            String percent = d.findElement(row).findElement(By.className("percent")).getText();
            return percent.matches("[1-9][0-9]?% .*");
        });
    }

    private void click(By row, String buttonClass) {
        wait.until(ExpectedConditions.elementToBeClickable(
                browser.findElement(row).findElement(By.className(buttonClass)))).click();
    }

    @Test
    void aWrongOrUsedLoginAddressAndAMissingSessionEachShowAClearPage() throws Exception {
        NodeCluster.Member a = cluster.start();
        String url = loginUrl(a);
        String base = url.substring(0, url.indexOf("/ui/"));

        browser.get(base + "/ui/login#secret=" + "0".repeat(48));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "wrong, expired or already used"));
        assertThat(browser.getCurrentUrl()).doesNotContain("secret");
        screenshot("wrong-secret");

        browser.get(url);
        wait.until(ExpectedConditions.urlToBe(base + "/ui/"));
        browser.get(url);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "already used"));
        screenshot("used-secret");

        browser.manage().deleteAllCookies();
        browser.get(base + "/ui/");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not signed in");
        assertThat(browser.findElement(By.id("message")).getText()).contains("node web");
        assertThat(browser.getPageSource()).doesNotContain("Exception");
        screenshot("no-session");

        browser.get(base + "/ui/no-such-page");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("No such page");
    }

    private void signIn(NodeCluster.Member m) throws Exception {
        String url = loginUrl(m);
        browser.get(url);
        wait.until(ExpectedConditions.urlToBe(url.substring(0, url.indexOf("/ui/")) + "/ui/"));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    }

    private static long transfersInProgress(NodeCluster.Member m) {
        try {
            NodeProcess.Result r = NodeCluster.run(m, "status", "--json");
            return org.kadshare.cli.control.Json.parseObject(r.stdout()).longValue("transfersInProgress");
        } catch (Exception e) {
            throw new AssertionError("node status failed", e);
        }
    }

    private static String loginUrl(NodeCluster.Member m) throws Exception {
        NodeProcess.Result r = NodeCluster.run(m, "web");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String url = r.stdout().strip();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/ui/login#secret=[0-9a-f]{48}");
        return url;
    }

    private void screenshot(String step) throws Exception {
        Path dir = Files.createDirectories(NodeProcess.repositoryRoot().resolve("cli/target/dashboard-screenshots"));
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), dir.resolve(testName + "-" + (++shot) + "-" + step + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
