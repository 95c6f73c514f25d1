package dev.harp.samples.releases;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client of the outside releases API ({@code GET /v1/repos/OWNER/REPO/releases/latest}). It follows the JVM's
 * standard proxy and trust properties ({@code -Dhttps.proxyHost}, {@code -Djavax.net.ssl.trustStore}, ...), as
 * a service in production behind a corporate proxy would: that is all Harp needs from it.
 */
public final class ReleasesApi {
    // JDK only, so that `java -jar` needs no class path; a real service would read the JSON with a JSON library.
    private static final Pattern TAG = Pattern.compile("\"tag\"\\s*:\\s*\"([^\"]{1,100})\"");
    private static final Pattern PUBLISHED = Pattern.compile("\"publishedAt\"\\s*:\\s*\"([^\"]{1,100})\"");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .proxy(ProxySelector.getDefault())   // without it, java.net.http.HttpClient ignores -Dhttps.proxyHost
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** @param base the API's base URL, such as {@code https://api.example.test} */
    public ReleasesApi(URI base) {
        this.base = base;
    }

    /**
     * @param owner the repository's owner
     * @param repo  the repository's name
     * @return its latest release, or empty when the API knows no such repository
     * @throws IOException when the API cannot be reached or answers something else
     */
    public Optional<Release> latest(String owner, String repo) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/repos/" + owner + "/" + repo + "/releases/latest"))
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("releases API answered " + response.statusCode() + " for " + request.uri());
        }
        return Optional.of(new Release(field(TAG, response.body()), field(PUBLISHED, response.body())));
    }

    private static String field(Pattern pattern, String json) throws IOException {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IOException("releases API answered without " + pattern.pattern());
        }
        return matcher.group(1);
    }
}
