package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import io.undertow.Undertow;
import io.undertow.util.Headers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM's main for {@link RecordingHeapTest}: Harp in record mode, an Undertow upstream answering 1 KiB and
 * several keep-alive client connections in one (small) heap. Prints {@code heap N BYTES} (heap used after a full GC)
 * once N exchanges have completed, for the first sample point and at the end, then {@code done N MILLIS} after
 * Harp has closed (its last flush written).
 */
public final class RecordingHeapChild {
    private static final int CONNECTIONS = 4;

    private RecordingHeapChild() {
    }

    /** {@code args}: the HAR file, the number of exchanges, the exchange count of the first heap sample. */
    public static void main(String[] args) throws Exception {
        Path har = Path.of(args[0]);
        int total = Integer.parseInt(args[1]);
        int firstSample = Integer.parseInt(args[2]);
        byte[] body = new byte[1024];
        Arrays.fill(body, (byte) 'x');
        Undertow upstream = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(1)
                .setHandler(ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
                }).build();
        upstream.start();
        int upstreamPort = ((InetSocketAddress) upstream.getListenerInfo().get(0).getAddress()).getPort();
        long started = System.nanoTime();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch firstReached = new CountDownLatch(1);
        try (HarpServer harp = HarpServer.start(HarpServer.builder().mode(Mode.RECORD).har(har).port(0)
                .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(CertificateAuthority.inMemory())
                .upstreamConnectTimeout(Duration.ofSeconds(5)).upstreamResponseTimeout(Duration.ofSeconds(30))
                .build())) {
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < CONNECTIONS; c++) {
                int from = c;
                Thread t = new Thread(() -> {
                    try {
                        drive(harp.port(), upstreamPort, from, total, completed, firstSample, firstReached);
                    } catch (Throwable e) {
                        failures.add(e);
                        firstReached.countDown();
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }
            if (!firstReached.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no progress");
            }
            System.out.println("heap " + completed.get() + " " + usedAfterGc());
            for (Thread t : clients) {
                t.join(TimeUnit.MINUTES.toMillis(5));
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a client failed", failures.get(0));
            }
            System.out.println("heap " + completed.get() + " " + usedAfterGc());
        } finally {
            upstream.stop();
        }
        System.out.println("done " + completed.get() + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        System.out.flush();
    }

    private static long usedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** One keep-alive connection sending requests {@code from}, {@code from + CONNECTIONS}, ... through Harp. */
    private static void drive(int harpPort, int upstreamPort, int from, int total, AtomicInteger completed, int firstSample,
                              CountDownLatch firstReached) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", harpPort)) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            for (int i = from; i < total; i += CONNECTIONS) {
                out.write(("GET http://127.0.0.1:" + upstreamPort + "/items/" + i + " HTTP/1.1\r\nHost: 127.0.0.1:"
                        + upstreamPort + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readResponse(in);
                if (completed.incrementAndGet() == firstSample) {
                    firstReached.countDown();
                }
            }
        }
    }

    /** Reads one response with a Content-Length body. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        String text = head.toString();
        if (!text.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected response " + text);
        }
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int end = text.indexOf('\r', at);
        long length = Long.parseLong(text.substring(at + "content-length:".length(), end).trim());
        for (long left = length; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("body cut");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
