package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.bench.Report.Row;
import dev.harp.proxy.WsEchoServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop WebSocket load: each of N connections (the JDK's {@code java.net.http.WebSocket}, which reaches a
 * proxy with CONNECT) sends a 1 KiB text message and waits for the echo before it sends the next, for a fixed time.
 * A conversation carries at most {@link #PER_CONVERSATION} round trips, then the connection is closed and opened
 * again: a replayed conversation holds only what was recorded, so direct and proxied loads follow the same rule.
 * The echo server greets each connection with {@code hello} and answers {@code m} with {@code echo:m}.
 */
final class WebSocketLoad {
    /** The message every round trip sends. */
    static final String MESSAGE = "x".repeat(1024);
    /** Round trips per conversation (and in the recorded conversation replay answers from). */
    static final int PER_CONVERSATION = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private WebSocketLoad() {
    }

    /** Starts a Harp in a mode on a HAR file (the benchmark's own settings). */
    @FunctionalInterface
    interface HarpFactory {
        HarpServer start(Mode mode, Path har) throws IOException;
    }

    /** Progress lines. */
    @FunctionalInterface
    interface Progress {
        void say(String format, Object... args);
    }

    /**
     * The benchmark's WebSocket rows: 1 KiB text echo over 16 connections, direct, through Harp passthrough, and
     * replayed by Harp from a conversation recorded through Harp first; rounds interleaved, each row the median of
     * its rounds.
     */
    static List<Row> rows(HarpFactory harp, Path scratch, Benchmark.Options options, Progress progress) throws Exception {
        int connections = 16;
        List<Row> rows = new ArrayList<>();
        try (WsEchoServer server = WsEchoServer.start()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            Path har = scratch.resolve("websocket.har");
            try (HarpServer recorder = harp.start(Mode.RECORD, har)) {
                converse(uri, recorder.address(), PER_CONVERSATION);
            }
            try (HarpServer passthrough = harp.start(Mode.PASSTHROUGH, scratch.resolve("unused-ws.har"));
                 HarpServer replay = harp.start(Mode.REPLAY, har)) {
                Map<String, InetSocketAddress> routes = new LinkedHashMap<>();
                routes.put("direct", null);
                routes.put("passthrough", passthrough.address());
                routes.put("replay", replay.address());
                for (InetSocketAddress proxy : routes.values()) {
                    run(uri, proxy, connections, options.scenarioWarmup());
                }
                Map<String, List<Result>> rounds = new LinkedHashMap<>();
                for (int round = 0; round < options.rounds(); round++) {
                    for (Map.Entry<String, InetSocketAddress> route : routes.entrySet()) {
                        rounds.computeIfAbsent(route.getKey(), k -> new ArrayList<>())
                                .add(run(uri, route.getValue(), connections, options.round().multipliedBy(2)));
                    }
                }
                Result direct = median(rounds.get("direct"));
                for (Map.Entry<String, List<Result>> e : rounds.entrySet()) {
                    Result r = median(e.getValue());
                    boolean proxied = !e.getKey().equals("direct");
                    String label = proxied ? "WebSocket echo through Harp " + e.getKey() : "WebSocket echo direct";
                    String result = String.format(Locale.ROOT, "%,.0f msg/s", r.messagesPerSecond())
                            + (r.errors() > 0 ? " (" + r.errors() + " errors)" : "");
                    rows.add(new Row(label, "1 KiB text", String.valueOf(connections), "JDK WebSocket", result,
                            Report.millis(r.p50Millis()), Report.millis(r.p99Millis()),
                            proxied ? Report.ratio(r.messagesPerSecond() / direct.messagesPerSecond()) : "1.00×", "–", "", ""));
                    progress.say("%s: %,.0f messages/s", label, r.messagesPerSecond());
                }
            }
        }
        return rows;
    }

    private static Result median(List<Result> rounds) {
        List<Result> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Result::messagesPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    /** Messages per second (round trips: one sent, one received) and latency percentiles of one load. */
    record Result(double messagesPerSecond, double p50Millis, double p99Millis, long messages, long errors) {
    }

    /**
     * Runs one conversation of {@code roundTrips} round trips (to record one through a proxy).
     *
     * @param proxy null for a direct connection
     */
    static void converse(URI uri, InetSocketAddress proxy, int roundTrips) throws Exception {
        try (Connection c = Connection.open(client(proxy), uri)) {
            for (int i = 0; i < roundTrips; i++) {
                c.roundTrip();
            }
        }
    }

    /**
     * Loads {@code uri} from {@code connections} threads for {@code duration}.
     *
     * @param proxy null for direct connections
     */
    static Result run(URI uri, InetSocketAddress proxy, int connections, Duration duration) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                runs.add(threads.submit(() -> loop(uri, proxy, deadline)));
            }
            List<long[]> samples = new ArrayList<>();
            long errors = 0;
            for (Future<long[]> f : runs) {
                long[] s = f.get(duration.toMillis() + WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
                errors += s[0];
                samples.add(Arrays.copyOfRange(s, 1, s.length));
            }
            long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(all.length / seconds, percentile(all, 0.5), percentile(all, 0.99), all.length, errors);
        } finally {
            threads.shutdownNow();
        }
    }

    /** One connection's loop: {errors, round-trip nanos...}. */
    private static long[] loop(URI uri, InetSocketAddress proxy, long deadline) {
        long[] nanos = new long[1 << 16];
        int n = 1;
        long errors = 0;
        HttpClient client = client(proxy);
        while (System.nanoTime() < deadline) {
            try (Connection c = Connection.open(client, uri)) {
                for (int i = 0; i < PER_CONVERSATION && System.nanoTime() < deadline; i++) {
                    long t0 = System.nanoTime();
                    c.roundTrip();
                    if (n == nanos.length) {
                        nanos = Arrays.copyOf(nanos, n * 2);
                    }
                    nanos[n++] = System.nanoTime() - t0;
                }
            } catch (Exception e) {
                errors++;
            }
        }
        nanos[0] = errors;
        return Arrays.copyOf(nanos, n);
    }

    private static HttpClient client(InetSocketAddress proxy) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(WAIT);
        if (proxy != null) {
            b.proxy(ProxySelector.of(proxy));
        }
        return b.build();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    /** One open WebSocket with its greeting consumed. */
    private static final class Connection implements AutoCloseable {
        private final WebSocket socket;
        private final BlockingQueue<String> received;

        private Connection(WebSocket socket, BlockingQueue<String> received) {
            this.socket = socket;
            this.received = received;
        }

        static Connection open(HttpClient client, URI uri) throws Exception {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(uri, new Collector(received)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Connection c = new Connection(socket, received);
            c.expect("hello");
            return c;
        }

        void roundTrip() throws Exception {
            socket.sendText(MESSAGE, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            expect("echo:" + MESSAGE);
        }

        private void expect(String message) throws Exception {
            String got = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!message.equals(got)) {
                throw new IllegalStateException("expected " + abbreviate(message) + ", got " + abbreviate(got));
            }
        }

        private static String abbreviate(String s) {
            return s == null ? "nothing" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }

        /** Ends the conversation with a close frame (a replayed one ends as it was recorded), then the connection. */
        @Override
        public void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // ended below either way
            }
            socket.abort();
        }
    }

    /** Queues each whole text message. */
    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<String> received;
        private final StringBuilder text = new StringBuilder();

        Collector(BlockingQueue<String> received) {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
