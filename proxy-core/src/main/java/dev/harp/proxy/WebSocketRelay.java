package dev.harp.proxy;

import dev.harp.flow.BodyCapture;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowResponse;
import dev.harp.flow.HttpHeader;
import dev.harp.flow.WebSocketFrames;
import dev.harp.flow.WebSocketLog;
import dev.harp.record.Redactor;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A WebSocket conversation after the upstream answered 101: answers the client with that 101, then relays the bytes
 * of both upgraded connections as they come, on their I/O thread (both connections live on the client exchange's
 * thread), with a {@link BodyPump} per direction. When recording, a {@link WebSocketFrames} per direction watches
 * the bytes and keeps the messages in a {@link WebSocketLog}, which goes into the HAR with the flow.
 *
 * <p>The conversation ends once: both directions ended (after the close handshake each side closes its connection),
 * or one side vanished (reset, or its connection ended without a close frame), which closes the other side at once.
 * A side that ends its connection after its close frame half-closes the other; the other then has {@link #LINGER_MILLIS}
 * to close its own. Then the flow is delivered: {@link Flow.Outcome#COMPLETE} after a close frame,
 * {@link Flow.Outcome#CLIENT_ABORTED} or {@link Flow.Outcome#UPSTREAM_FAILED} for the side that vanished.
 */
final class WebSocketRelay {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketRelay.class);
    /** How long one side may keep its connection open after the other ended its own. */
    static final long LINGER_MILLIS = 10_000;

    private final Forwarder owner;
    private final HttpServerExchange ex;
    private final Target target;
    private final Flow flow;
    private final ClientResponse response;
    private final ClientConnection upstreamConnection;
    private final StreamConnection upstream;
    private final Runnable release;
    private final WebSocketLog log;
    private StreamConnection client;
    private BodyPump clientToServer;
    private BodyPump serverToClient;
    private boolean clientEnded;
    private boolean serverEnded;
    private XnioExecutor.Key linger;
    private boolean finished;

    WebSocketRelay(Forwarder owner, HttpServerExchange ex, Target target, Flow flow, ClientResponse response,
                   ClientConnection upstreamConnection, StreamConnection upstream, Runnable release) {
        this.owner = owner;
        this.ex = ex;
        this.target = target;
        this.flow = flow;
        this.response = response;
        this.upstreamConnection = upstreamConnection;
        this.upstream = upstream;
        this.release = release;
        long limit = owner.limits().limit();
        this.log = limit > 0 ? new WebSocketLog(limit) : null;
    }

    /** Answers the client with the upstream's 101; the relay starts once Undertow hands over the client's connection. */
    void start() {
        List<HttpHeader> headers = Exchanges.toList(response.getResponseHeaders());
        String upgrade = dev.harp.flow.Headers.first(headers, "upgrade");
        flow.response(new FlowResponse(101, response.getStatus(), response.getProtocol().toString(), headers,
                BodyCapture.of(new byte[0]).finishOrRelease()));
        flow.responseComplete();
        flow.webSocket(log);
        // the upstream connection is closed with the conversation, whoever ends it (the proxy stopping included)
        upstreamConnection.addCloseListener(c -> connectionClosed(false));
        Exchanges.writeHead(ex, 101, response.getStatus(), headers);
        ex.getResponseHeaders().put(Headers.UPGRADE, upgrade == null ? "websocket" : upgrade);
        ex.addExchangeCompleteListener((exchange, next) -> {
            next.proceed();
            // Undertow hands over the connection right after the exchange completes; a client that left before
            // never gets it, and nothing else would end the conversation
            IoTasks.later(ex.getIoThread(), () -> {
                if (client == null) {
                    finish(true, "client went away before the upgrade completed");
                }
            }, ClientWatch.POLL.toMillis());
        });
        ex.upgradeChannel((connection, exchange) -> relay(connection));
        ex.endExchange();
    }

    private void relay(StreamConnection connection) {
        if (finished) {
            IoUtils.safeClose(connection);
            return;
        }
        client = connection;
        client.setCloseListener(c -> connectionClosed(true));
        clientToServer = new BodyPump(client.getSourceChannel(), upstream.getSinkChannel(), owner.buffers(),
                new Direction(true));
        serverToClient = new BodyPump(upstream.getSourceChannel(), client.getSinkChannel(), owner.buffers(),
                new Direction(false));
        clientToServer.flushEachWrite();
        serverToClient.flushEachWrite();
        clientToServer.start();
        serverToClient.start();
    }

    /** One direction's pump events; {@code fromClient} names the side that sends. */
    private final class Direction implements BodyPump.Events {
        private final boolean fromClient;
        private final WebSocketFrames frames;

        Direction(boolean fromClient) {
            this.fromClient = fromClient;
            this.frames = log == null ? null : new WebSocketFrames(log, fromClient);
        }

        @Override
        public void data(ByteBuffer chunk) {
            if (frames != null) {
                frames.feed(chunk);
            }
        }

        @Override
        public void ended() {
            sideEnded(fromClient);
        }

        @Override
        public void sourceFailed(IOException error) {
            finish(fromClient, (fromClient ? "client" : "upstream") + " connection failed: " + error.getMessage());
        }

        @Override
        public void sinkFailed(IOException error) {
            finish(!fromClient, (fromClient ? "upstream" : "client") + " connection failed: " + error.getMessage());
        }
    }

    /**
     * A side ended its connection. After its close frame (or when nothing is recorded, so nobody knows) that is the
     * end of a close handshake: the other side learns it by a half-close and may finish; without a close frame the
     * side vanished, and the other side is closed at once.
     */
    private void sideEnded(boolean fromClient) {
        if (finished) {
            return;
        }
        if (log != null && !log.sentClose(fromClient)) {
            finish(fromClient, (fromClient ? "the client" : "the upstream") + " closed its connection without a close frame");
            return;
        }
        if (fromClient) {
            clientEnded = true;
        } else {
            serverEnded = true;
        }
        if (clientEnded && serverEnded) {
            finish(fromClient, "closed");
            return;
        }
        StreamSinkChannel other = fromClient ? upstream.getSinkChannel() : client.getSinkChannel();
        try {
            other.shutdownWrites();
            if (!other.flush()) {
                other.getWriteSetter().set(ChannelListeners.flushingChannelListener(StreamSinkChannel::suspendWrites,
                        (channel, e) -> finish(!fromClient, "connection failed: " + e.getMessage())));
                other.resumeWrites();
            }
        } catch (IOException e) {
            finish(!fromClient, "connection failed: " + e.getMessage());
            return;
        }
        linger = IoTasks.later(ex.getIoThread(), () -> finish(!fromClient,
                "did not close its connection within " + LINGER_MILLIS / 1000 + " s of the other side"), LINGER_MILLIS);
    }

    private void connectionClosed(boolean clientSide) {
        if (!finished) {
            finish(clientSide, (clientSide ? "the client's" : "the upstream's") + " connection was closed");
        }
    }

    /**
     * Ends the conversation once: both connections closed, the flow delivered with how it ended.
     *
     * @param byClient whether the client's side ended it (when no close frame says who did)
     */
    private void finish(boolean byClient, String why) {
        if (finished) {
            return;
        }
        finished = true;
        if (linger != null) {
            linger.remove();
        }
        if (clientToServer != null) {
            clientToServer.cancel();
            serverToClient.cancel();
        }
        IoUtils.safeClose(client);
        IoUtils.safeClose(upstream);
        IoUtils.safeClose(upstreamConnection);
        String side = byClient ? "client" : "server";
        boolean closeFrame = log == null || log.sentClose(true) || log.sentClose(false);
        if (log != null) {
            log.ended(side, why);
        }
        if (closeFrame) {
            flow.complete();
        } else if (byClient) {
            flow.fail(Flow.Outcome.CLIENT_ABORTED, "WebSocket " + why);
            ClientAborts.log(target.url(), "WebSocket " + why);
        } else {
            flow.fail(Flow.Outcome.UPSTREAM_FAILED, "WebSocket " + why);
            LOG.info("Harp: WebSocket {}: {}", Redactor.forLog(target.url()), why);
        }
        try {
            owner.sink().accept(flow, release); // the sink releases the handshake's captures once it has read them
        } catch (RuntimeException e) {
            LOG.error("Harp could not record {}: {}", Redactor.forLog(target.url()), e.toString(), e);
        } finally {
            owner.sink().finished(flow);
        }
    }
}
