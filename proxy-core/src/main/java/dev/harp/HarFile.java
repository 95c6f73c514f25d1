package dev.harp;

import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarRepair;
import dev.harp.redaction.Redaction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A HAR fixture as test frameworks and build tools see it: its entries in file order, each summed up by method, URL
 * and status. The part of the HAR model that the faces (the JUnit extension, the Maven plugin) need without
 * depending on the model itself, which may change; recording and replaying go through {@link HarpServer}.
 *
 * <pre>{@code
 * for (HarFile.Entry e : HarFile.read(Path.of("src/test/resources/harp/forecast.har")).entries()) {
 *     System.out.println(e); // entry 0: GET https://api.example/forecast -> 200
 * }
 * }</pre>
 *
 * <p>Immutable. {@link Entry#url()} is as the file holds it (a HAR exported by a browser is not redacted): pass it
 * through {@code Redactor.forLog} before a log line shows it, as {@link Entry#toString()} does.
 */
public final class HarFile {
    private final Path path;
    private final List<Entry> entries;

    private HarFile(Path path, List<Entry> entries) {
        this.path = path;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a HAR file with the replayer's strict parser and its bounds.
     *
     * @throws IOException when the file cannot be read or is not a valid HAR; the message names the file, and the
     *                     line and column for malformed JSON
     */
    public static HarFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Har har = HarRepair.read(path);
        List<Entry> out = new ArrayList<>(har.entries().size());
        int index = 0;
        for (HarEntry e : har.entries()) {
            out.add(new Entry(index++, e.request().method(), e.request().url(),
                    e.response() == null ? 0 : e.response().status()));
        }
        return new HarFile(path, out);
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /** The entries in file order; {@code entries().get(i).index() == i}. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * One recorded exchange, summed up.
     *
     * @param index  its position in the file, as replay reports ({@code ReplayResponse.entryIndex()}) name it
     * @param method the request method
     * @param url    the request URL as recorded
     * @param status the response status (0 for an entry without a response)
     */
    public record Entry(int index, String method, String url, int status) {
        /** Checks the parts. */
        public Entry {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
        }

        /** {@code entry 3: GET https://h/p -> 200}, the URL redacted as log lines show URLs. */
        @Override
        public String toString() {
            return "entry " + index + ": " + method + " " + Redaction.forLog(url) + " -> " + status;
        }
    }
}
