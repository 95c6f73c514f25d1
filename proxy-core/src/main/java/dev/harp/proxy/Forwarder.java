package dev.harp.proxy;

import dev.harp.record.Redactor;
import dev.harp.flow.BodyCapture;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowRequest;
import dev.harp.flow.FlowResponse;
import dev.harp.flow.FlowSink;
import dev.harp.flow.HttpHeader;
import dev.harp.upstream.UpstreamClient;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Forwards one exchange to its upstream, streaming both bodies and teeing them into captures for the recorder.
 * Runs on a worker thread with the exchange in blocking mode.
 */
final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final int BUFFER = 16 * 1024;
    /** How often a worker waiting for an upstream's response head checks that its client is still there. */
    static final Duration CLIENT_POLL = Duration.ofMillis(200);
    /** Methods retried once when the upstream connection breaks before an answer (only without a request body). */
    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final UpstreamClient upstream;
    private final CaptureLimits limits;
    private final FlowSink sink;

    Forwarder(UpstreamClient upstream, CaptureLimits limits, FlowSink sink) {
        this.upstream = upstream;
        this.limits = limits;
        this.sink = sink;
    }

    /**
     * Forwards and answers the client.
     *
     * @param clientBody    the request body as the client sends it
     * @param contentLength its length, -1 when unknown, 0 when none
     */
    void forward(HttpServerExchange ex, Flow flow, Target target, List<HttpHeader> headers, InputStream clientBody,
                 long contentLength) {
        String method = ex.getRequestMethod().toString();
        String version = ex.getProtocol().toString();
        sink.started(flow);
        try {
            exchange(ex, flow, target, headers, clientBody, contentLength, method, version);
        } finally {
            sink.finished(flow);
        }
    }

    private void exchange(HttpServerExchange ex, Flow flow, Target target, List<HttpHeader> headers, InputStream clientBody,
                          long contentLength, String method, String version) {
        try (BodyCapture requestCapture = limits.newCapture(); BodyCapture responseCapture = limits.newCapture()) {
            TeeInputStream tee = new TeeInputStream(clientBody, requestCapture);
            ClientWatch watch = ClientWatch.of(ex);
            boolean retryable = contentLength == 0 && SAFE_METHODS.contains(method);
            HttpResponse<InputStream> response = null;
            while (response == null) {
                CompletableFuture<HttpResponse<InputStream>> pending =
                        upstream.send(method, target.uri(), headers, tee, contentLength);
                watch.track(pending);
                try {
                    response = awaitHead(pending, watch);
                } catch (IOException e) {
                    if (tee.clientError() == null && watch.verdict() == null && retryable
                            && UpstreamFailure.brokenConnection(e)) {
                        // A safe request whose upstream connection broke before any answer: most likely a pooled
                        // connection the upstream had just closed (idle timeout; JDK 17's client does not retry
                        // streams refused by an h2 GOAWAY). Browsers retry such requests once; so does Harp.
                        retryable = false;
                        LOG.debug("Harp: {} {} lost its upstream connection before an answer ({}); retrying once",
                                method, Redactor.forLog(target.url()), e.toString());
                        continue;
                    }
                    flow.request(new FlowRequest(method, target.url(), version, headers, requestCapture.finish()));
                    if (tee.clientError() != null) {
                        clientAborted(ex, flow, "client went away while sending the request body: " + tee.clientError());
                    } else if (watch.verdict() != null) {
                        clientAborted(ex, flow, watch.verdict() + " while the upstream was thinking");
                    } else {
                        upstreamFailed(ex, flow, target, e);
                    }
                    return;
                } catch (InterruptedException e) {
                    pending.cancel(true);
                    Thread.currentThread().interrupt();
                    IoUtils.safeClose(ex.getConnection());
                    return;
                }
            }
            long sent = tee.endNanos() != 0 ? tee.endNanos() : System.nanoTime();
            flow.request(new FlowRequest(method, target.url(), version, headers, requestCapture.finish()), sent);
            flow.responseHeadReceived();
            relayResponse(ex, flow, target, response, responseCapture, watch);
        } catch (IOException e) {
            // only the captures' temporary files can fail here
            LOG.warn("Harp could not capture a body for {}: {}", Redactor.forLog(target.url()), e.toString());
            IoUtils.safeClose(ex.getConnection());
        }
    }

    /**
     * Waits for the response head in bounded slices, asking the watch between slices whether the client is still
     * there; a client that went away cancels the upstream call (its connection closed, or its h2 stream reset) and
     * frees this worker within one slice. The upstream's own response timeout still bounds the whole wait.
     */
    private static HttpResponse<InputStream> awaitHead(CompletableFuture<HttpResponse<InputStream>> pending,
                                                       ClientWatch watch) throws IOException, InterruptedException {
        while (true) {
            try {
                return UpstreamClient.await(pending, CLIENT_POLL);
            } catch (TimeoutException stillThinking) {
                String gone = watch.gone();
                if (gone != null) {
                    pending.cancel(true);
                    throw new IOException(gone);
                }
            }
        }
    }

    private void relayResponse(HttpServerExchange ex, Flow flow, Target target, HttpResponse<InputStream> response,
                               BodyCapture capture, ClientWatch watch) throws IOException {
        List<HttpHeader> headers = UpstreamClient.headersOf(response);
        int status = response.statusCode();
        String reason = Exchanges.reasonOf(status);
        Exchanges.writeHead(ex, status, reason, headers);
        InputStream in = response.body();
        long declared = Exchanges.isHeadersOnly(ex.getRequestMethod().toString(), status) ? 0 : declaredLength(headers);
        long relayed = 0;
        boolean delivered = false;
        try {
            OutputStream out = ex.getOutputStream();
            byte[] buf = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    flow.response(new FlowResponse(status, reason, UpstreamClient.versionOf(response), headers, capture.finish()));
                    flow.fail(Flow.Outcome.UPSTREAM_FAILED, "upstream " + target.authority()
                            + " broke off the response body: " + e.getMessage());
                    LOG.info("Harp: {} {}", Redactor.forLog(target.url()), flow.error());
                    IoUtils.safeClose(ex.getConnection());
                    deliver(flow);
                    return;
                }
                if (n < 0) {
                    break;
                }
                capture.write(buf, 0, n);
                relayed += n;
                if (!delivered && declared >= 0 && relayed >= declared) {
                    // Undertow ends the response inside the write that completes the Content-Length: record the
                    // exchange before that write, so a client holding the whole response finds it recorded (and, in
                    // auto mode, replayable) - a test switching fixtures right after its last response included
                    complete(flow, status, reason, response, headers, capture);
                    delivered = true;
                }
                try {
                    out.write(buf, 0, n);
                    if (in.available() == 0) {
                        out.flush();
                    }
                } catch (IOException | RuntimeException e) {
                    rethrowUnlessClientGone(e, watch);
                    if (delivered) {
                        // the client holds every byte and closed at once (curl over h2 does not wait for END_STREAM)
                        LOG.debug("Harp: the client of {} closed with the whole response, before its end of stream: {}",
                                Redactor.forLog(target.url()), e.toString());
                        IoUtils.safeClose(ex.getConnection());
                        return;
                    }
                    flow.response(new FlowResponse(status, reason, UpstreamClient.versionOf(response), headers, capture.finish()));
                    clientAborted(ex, flow, "client went away while receiving the response: " + e);
                    return;
                }
            }
            if (!delivered) {
                // a body delimited by the end of the stream (chunked, h2): recorded before its end goes out
                complete(flow, status, reason, response, headers, capture);
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                rethrowUnlessClientGone(e, watch);
                // already recorded: only the end of the stream did not reach the client
                ClientAborts.log(target.url(), "client went away before the end of the response: " + e);
                IoUtils.safeClose(ex.getConnection());
            }
        } finally {
            in.close(); // before the end: drains a bounded rest, then cancels the upstream exchange (UpstreamBody)
        }
    }

    private void complete(Flow flow, int status, String reason, HttpResponse<InputStream> response, List<HttpHeader> headers,
                          BodyCapture capture) throws IOException {
        flow.response(new FlowResponse(status, reason, UpstreamClient.versionOf(response), headers, capture.finish()));
        flow.responseComplete();
        flow.complete();
        deliver(flow);
    }

    /** The response's Content-Length, or -1 when it has none (chunked, or delimited by the end of an h2 stream). */
    static long declaredLength(List<HttpHeader> headers) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase("content-length")) {
                try {
                    return Long.parseLong(h.value().trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * Writing to an HTTP/2 stream the client has just reset can fail with an unchecked exception instead of an
     * {@code IOException} (Undertow frees the stream's buffer on the I/O thread while this worker writes into it: a
     * {@code BufferOverflowException} or "buffer has already been freed", see UNDERTOW-1638/1640). When the client is
     * indeed gone that is an abort like any other; anything else is a real bug and propagates.
     */
    private static void rethrowUnlessClientGone(Exception e, ClientWatch watch) {
        if (e instanceof RuntimeException unchecked && watch.gone() == null) {
            throw unchecked;
        }
    }

    private void upstreamFailed(HttpServerExchange ex, Flow flow, Target target, IOException e) {
        UpstreamFailure failure = UpstreamFailure.of(target, e);
        flow.fail(Flow.Outcome.UPSTREAM_FAILED, failure.message());
        LOG.info("Harp: {} {} -> {} {}", flow.request().method(), Redactor.forLog(target.url()), failure.status(), failure.message());
        Exchanges.sendPlain(ex, failure.status(), "Harp: " + failure.message());
        deliver(flow);
    }

    private void clientAborted(HttpServerExchange ex, Flow flow, String reason) {
        flow.fail(Flow.Outcome.CLIENT_ABORTED, reason);
        ClientAborts.log(flow.request() == null ? ex.getRequestURI() : flow.request().url(), reason);
        IoUtils.safeClose(ex.getConnection());
        deliver(flow);
    }

    private void deliver(Flow flow) {
        try {
            sink.accept(flow);
        } catch (RuntimeException e) {
            LOG.error("Harp could not record {}: {}", flow.request() == null ? "a flow" : Redactor.forLog(flow.request().url()), e.toString(), e);
        }
    }
}
