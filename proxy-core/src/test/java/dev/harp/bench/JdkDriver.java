package dev.harp.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small closed-loop load generator on raw sockets: one thread per connection, each sending a request, reading the
 * whole response (checking status 200 and the body length) and sending the next. HTTP/1.1 only, no pipelining.
 *
 * <p>It speaks to an origin directly, to a proxy with absolute-form requests, to an HTTPS origin, and through a
 * proxy's CONNECT tunnel with TLS inside (MITM). With {@code newConnection} every request gets its own TCP
 * connection, CONNECT and full TLS handshake (the session is invalidated, so nothing is resumed) and says
 * {@code Connection: close}.
 */
final class JdkDriver {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_ERRORS_PER_THREAD = 1_000;

    /** How the client reaches the origin. */
    enum Route {
        /** Plain HTTP straight to the origin. */
        PLAIN_DIRECT,
        /** Plain HTTP to the proxy, absolute-form request line. */
        PLAIN_PROXY,
        /** HTTPS straight to the origin. */
        TLS_DIRECT,
        /** CONNECT to the proxy, then TLS with the proxy's leaf inside the tunnel. */
        TLS_MITM
    }

    /**
     * Where and what to ask.
     *
     * @param proxyPort    the proxy's port (ignored for direct routes)
     * @param originPort   the origin's port (its HTTPS port for TLS routes)
     * @param tls          socket factory for TLS routes, trusting the benchmark CA only
     */
    record Endpoint(Route route, int proxyPort, int originPort, Bodies body, boolean newConnection, SSLSocketFactory tls) {
        boolean isTls() {
            return route == Route.TLS_DIRECT || route == Route.TLS_MITM;
        }

        byte[] requestBytes() {
            String authority = TlsMaterial.HOST + ":" + originPort;
            String target = route == Route.PLAIN_PROXY ? "http://" + authority + body.path : body.path;
            return ("GET " + target + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: harp-bench\r\nAccept: */*\r\n"
                    + (newConnection ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** One closed loop's client: a connection, or anything else that sends a request and waits for its response. */
    interface Client extends AutoCloseable {
        /** Sends one request and reads the whole response; false when it was not the expected one. */
        boolean call() throws IOException;

        /** Whether the next request may use this client again. */
        boolean reusable();

        @Override
        void close();
    }

    /** Opens a {@link Client} for a loop (again after each error or non-reusable client). */
    interface ClientFactory {
        Client open() throws IOException;
    }

    /**
     * Runs a load: {@code connections} closed loops, first for {@code warmup} (not counted), then until
     * {@code measure} has passed or {@code maxRequests} were counted, whichever is first.
     */
    LoadResult run(Endpoint endpoint, int connections, Duration warmup, Duration measure, long maxRequests)
            throws InterruptedException {
        byte[] request = endpoint.requestBytes();
        return run(() -> {
            Connection c = Connection.open(endpoint);
            return new Client() {
                @Override
                public boolean call() throws IOException {
                    return c.exchange(request, endpoint.body().length);
                }

                @Override
                public boolean reusable() {
                    return !endpoint.newConnection() && !c.closedByServer;
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }, connections, warmup, measure, maxRequests);
    }

    /** {@link #run(Endpoint, int, Duration, Duration, long)} with any kind of client. */
    LoadResult run(ClientFactory factory, int connections, Duration warmup, Duration measure, long maxRequests)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureStart = start + warmup.toNanos();
        long measureEnd = measureStart + measure.toNanos();
        long perThreadCap = Math.max(1, maxRequests / connections);
        List<Worker> workers = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker(factory, measureStart, measureEnd, perThreadCap, done);
            workers.add(w);
            Thread t = new Thread(w, "bench-jdk-" + i);
            t.setDaemon(true);
            t.start();
        }
        // every worker stops by itself at measureEnd; the margin covers one slow last request (socket timeout 10 s)
        if (!done.await(warmup.toMillis() + measure.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
            for (Worker w : workers) {
                w.abort();
            }
            done.await(5, TimeUnit.SECONDS);
        }
        long requests = 0;
        long errors = 0;
        long lastEnd = measureStart;
        int total = 0;
        for (Worker w : workers) {
            requests += w.count;
            errors += w.errors;
            lastEnd = Math.max(lastEnd, w.lastCompletion);
            total += w.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        long windowEnd = Math.min(measureEnd, lastEnd);
        double seconds = Math.max(1e-9, (windowEnd - measureStart) / 1e9);
        return new LoadResult("jdk", requests / seconds, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6,
                requests, errors);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Sends one request and checks the answer; for sanity checks before a load. */
    static void probe(Endpoint endpoint) throws IOException {
        try (Connection c = Connection.open(endpoint)) {
            if (!c.exchange(endpoint.requestBytes(), endpoint.body().length)) {
                throw new IOException(endpoint.route() + " " + endpoint.body().path + ": " + c.lastStatus
                        + " with a body of " + c.lastBodyLength + " bytes, expected 200 and " + endpoint.body().length);
            }
        }
    }

    private static final class Worker implements Runnable {
        private final ClientFactory factory;
        private final long measureStart;
        private final long measureEnd;
        private final long cap;
        private final CountDownLatch done;
        private volatile boolean aborted;
        private volatile Client current;
        long[] latencies = new long[16 * 1024];
        int count;
        long errors;
        long lastCompletion;

        Worker(ClientFactory factory, long measureStart, long measureEnd, long cap, CountDownLatch done) {
            this.factory = factory;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.cap = cap;
            this.done = done;
        }

        void abort() {
            aborted = true;
            Client c = current;
            if (c != null) {
                c.close();
            }
        }

        @Override
        public void run() {
            Client c = null;
            long allErrors = 0;
            try {
                while (!aborted && count < cap && allErrors < MAX_ERRORS_PER_THREAD) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureEnd) {
                        break;
                    }
                    boolean ok;
                    try {
                        if (c == null) {
                            c = factory.open();
                            current = c;
                        }
                        ok = c.call();
                        if (!c.reusable()) {
                            c.close();
                            c = null;
                        }
                    } catch (IOException e) {
                        ok = false;
                        if (c != null) {
                            c.close();
                            c = null;
                        }
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureStart && t1 <= measureEnd) {
                        if (ok) {
                            record(t1 - t0);
                            lastCompletion = t1;
                        } else {
                            errors++;
                        }
                    }
                    if (!ok) {
                        allErrors++;
                    }
                }
            } finally {
                if (c != null) {
                    c.close();
                }
                done.countDown();
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[count++] = nanos;
        }
    }

    /** One client connection, plain or TLS, possibly inside a CONNECT tunnel. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final boolean invalidateOnClose;
        private final byte[] buffer = new byte[64 * 1024];
        boolean closedByServer;
        String lastStatus = "";
        long lastBodyLength;

        private Connection(Socket socket, boolean invalidateOnClose) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = socket.getOutputStream();
            this.invalidateOnClose = invalidateOnClose;
        }

        static Connection open(Endpoint e) throws IOException {
            int port = e.route() == Route.PLAIN_PROXY || e.route() == Route.TLS_MITM ? e.proxyPort() : e.originPort();
            Socket raw = new Socket();
            try {
                raw.setTcpNoDelay(true);
                raw.setSoTimeout(10_000);
                raw.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
                if (e.route() == Route.TLS_MITM) {
                    connect(raw, TlsMaterial.HOST + ":" + e.originPort());
                }
                if (!e.isTls()) {
                    return new Connection(raw, false);
                }
                SSLSocket tls = (SSLSocket) e.tls().createSocket(raw, TlsMaterial.HOST, e.originPort(), true);
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
                tls.startHandshake();
                return new Connection(tls, e.newConnection());
            } catch (IOException | RuntimeException ex) {
                raw.close();
                throw ex;
            }
        }

        /** Sends CONNECT and reads the proxy's answer head byte by byte (nothing of the tunnel is read ahead). */
        private static void connect(Socket raw, String authority) throws IOException {
            raw.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("proxy closed the connection after CONNECT");
                }
                head.append((char) b);
                if (head.length() > 8192) {
                    throw new IOException("CONNECT answer too long");
                }
            }
            if (!head.toString().startsWith("HTTP/1.1 200") && !head.toString().startsWith("HTTP/1.0 200")) {
                throw new IOException("CONNECT refused: " + head.toString().lines().findFirst().orElse(""));
            }
        }

        /** One request and its whole response; false when the status is not 200 or the body is not as long as expected. */
        boolean exchange(byte[] request, int expectedLength) throws IOException {
            out.write(request);
            out.flush();
            String status = readLine();
            long contentLength = -1;
            boolean chunked = false;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closedByServer = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            long body;
            if (chunked) {
                body = 0;
                while (true) {
                    String size = readLine();
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(n);
                    body += n;
                    readLine();
                }
            } else if (contentLength >= 0) {
                skip(contentLength);
                body = contentLength;
            } else {
                body = 0;
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    body += n;
                }
                closedByServer = true;
            }
            lastStatus = status;
            lastBodyLength = body;
            return status.startsWith("HTTP/1.1 200") && body == expectedLength;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r < 0) {
                    throw new EOFException("response body ended early");
                }
                left -= r;
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed in a response head");
                }
                if (b == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) b);
                if (sb.length() > 16 * 1024) {
                    throw new IOException("response line too long");
                }
            }
        }

        @Override
        public void close() {
            if (invalidateOnClose && socket instanceof SSLSocket tls) {
                tls.getSession().invalidate(); // no resumption: every new connection pays a full handshake
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
