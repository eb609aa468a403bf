package dev.vigil.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ApiServer;
import dev.vigil.api.ApiSettings;
import dev.vigil.app.Wiring;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class DashboardRoutesTest {

    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        // Static files only: no request reaches the (absent) database.
        server =
                Wiring.api(
                        ApiServer.Options.of(
                                        ApiSettings.defaults().withPort(0),
                                        new PGSimpleDataSource())
                                .withExtras(List.of(DashboardRoutes::register)),
                        null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String etag) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUrl().resolve(path));
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyFileOfTheResourceDirectoryIsServed() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/dashboard"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(DashboardRoutes.FILES);
        }
        for (String f : DashboardRoutes.FILES) {
            assertThat(get("dashboard/" + f, null).statusCode()).as(f).isEqualTo(200);
        }
    }

    @Test
    void theRootRedirectsToTheDashboardWhichIsServedWithAStrictPolicy() throws Exception {
        HttpResponse<String> root = get("", null);
        HttpResponse<String> index = get("dashboard/", null);

        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/dashboard/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\">");
        assertThat(index.headers().firstValue("Content-Security-Policy"))
                .contains(DashboardRoutes.CONTENT_SECURITY_POLICY);
        assertThat(index.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
        assertThat(get("dashboard/app.js", null).headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    }

    @Test
    void anUnchangedFileIsRevalidatedWithItsETag() throws Exception {
        HttpResponse<String> first = get("dashboard/app.css", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(get("dashboard/app.css", etag).statusCode()).isEqualTo(304);
        assertThat(get("dashboard/app.css", "\"stale\"").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownFileIsNotFound() throws Exception {
        assertThat(get("dashboard/nope.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theDashboardCodeNeverParsesDataAsHtml() throws Exception {
        for (String f : DashboardRoutes.FILES) {
            if (f.endsWith(".js")) {
                assertThat(Files.readString(Path.of("src/main/resources/dashboard", f)))
                        .as(f)
                        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");
            }
        }
    }
}
