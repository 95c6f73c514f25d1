package dev.harp.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark from rotting: its quickest path (replay of 1 KiB on one connection, a few hundred requests,
 * JDK driver, in-process Undertow origin) runs end to end. No timing is asserted.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replayRunsEndToEndAndPrintsItsTable() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Benchmark.Options options = new Benchmark.Options(true, true, true, 300, Set.of(), "BenchmarkSmokeTest");
        Benchmark benchmark = new Benchmark(options, new PrintStream(progress, true, StandardCharsets.UTF_8));

        Report report = benchmark.run();

        LoadResult replay = benchmark.result(Benchmark.Scenario.REPLAY, Bodies.K1, 1);
        assertThat(replay).isNotNull();
        assertThat(replay.requests()).isEqualTo(300);
        assertThat(replay.errors()).isZero();
        assertThat(replay.requestsPerSecond()).isPositive();
        assertThat(report.rows()).hasSize(1);
        assertThat(report.markdown())
                .contains("| Scenario | Body | Conns |")
                .contains("| Harp replay | 1 KiB | 1 | jdk |")
                .contains("Command: `BenchmarkSmokeTest`")
                .contains("Undertow in the benchmark's JVM");
    }

    @Test
    void readsWrkOutput() throws Exception {
        String out = """
                Running 5s test @ http://127.0.0.1:40000/
                  2 threads and 16 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency   512.00us    1.02ms  30.11ms   95.00%
                    Req/Sec    15.00k     1.20k   18.00k    70.00%
                  Latency Distribution
                     50%  410.00us
                     75%  600.00us
                     90%    1.10ms
                     99%    4.20ms
                  150000 requests in 5.00s, 180.00MB read
                  Socket errors: connect 0, read 2, write 0, timeout 1
                  Non-2xx or 3xx responses: 4
                Requests/sec:  30000.50
                Transfer/sec:     36.00MB
                """;
        LoadResult r = WrkDriver.parse(out);
        assertThat(r.requestsPerSecond()).isEqualTo(30000.5);
        assertThat(r.p50Millis()).isEqualTo(0.41);
        assertThat(r.p99Millis()).isEqualTo(4.2);
        assertThat(r.requests()).isEqualTo(150000);
        assertThat(r.errors()).isEqualTo(7);
    }
}
