package dev.harp.cli;

import dev.harp.drift.DriftOptions;
import dev.harp.drift.DriftReport;
import dev.harp.drift.HarDrift;
import dev.harp.options.OptionCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code harp diff OLD NEW}: what changed in the responses between two recordings of the same requests
 * ({@link HarDrift}). Exit status 0 no drift, 1 drift, 2 bad input (a missing path, a malformed HAR named with
 * line and column, a bad option).
 */
@Command(name = "harp diff", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpWidth = 110,
        description = {"Compares two recordings of the same requests (two HAR files, or two folders of them paired by",
                "relative path) and reports per request what changed in the response: status, the headers that matter,",
                "JSON members added, removed or changed in type, bodies. Timings, dates, timestamps, request ids and",
                "redacted values are ignored.", ""},
        footer = {"", "Exit status: 0 no drift, 1 drift, 2 bad input. Value changes (a JSON value, a text body) are",
                "listed and counted as drift only with --values.",
                "", "Example: harp diff fixtures-before/ src/test/resources/harp/"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OLD", description = "the old recording: a HAR file or a folder of them")
    Path oldRecording;

    @Parameters(index = "1", paramLabel = "NEW", description = "the new recording: a HAR file or a folder of them")
    Path newRecording;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--values", description = "count value changes as drift too (JSON values, array lengths, header "
            + "values, non-JSON bodies), not only structure")
    boolean values;

    @Option(names = "--compare-timestamps", description = "compare timestamps and dates in JSON bodies too")
    boolean timestamps;

    @Option(names = "--ignore-json-path", paramLabel = "PATH", split = ",", description = "response body parts not "
            + "compared, e.g. $.meta.build or $.items[*].id (repeatable, comma-separated)")
    List<String> ignoreJsonPaths = new ArrayList<>();

    @Option(names = "--ignore-header", paramLabel = "NAME", split = ",", description = "response headers not compared "
            + "(repeatable, comma-separated), beside Date, Expires, ETag, request ids and the like")
    List<String> ignoreHeaders = new ArrayList<>();

    @Option(names = "--ignore-query-param", paramLabel = "NAME", split = ",", description = "query parameters left "
            + "out when requests are paired, as on replay (repeatable, comma-separated)")
    List<String> ignoreQueryParams = new ArrayList<>();

    @Option(names = "--capture-limit", paramLabel = "BYTES", description = "body bytes read per side file or "
            + "decoded per compressed body (default: ${DEFAULT-VALUE})")
    long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();

    @Override
    public Integer call() throws Exception {
        DriftOptions options = DriftOptions.builder()
                .values(values)
                .timestamps(timestamps)
                .ignoreJsonPaths(ignoreJsonPaths)
                .ignoreHeaders(ignoreHeaders)
                .ignoreQueryParams(ignoreQueryParams)
                .captureLimit(captureLimit)
                .build();
        DriftReport report = HarDrift.compare(oldRecording, newRecording, options);
        System.out.print(json ? report.toJson() : report.describe() + "\n");
        System.out.flush();
        return report.hasDrift() ? 1 : 0;
    }
}
