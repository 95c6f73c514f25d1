package dev.harp.proxy;

import dev.harp.flow.HttpHeader;
import dev.harp.har.HarWebSocketMessage;
import dev.harp.record.Redactor;
import dev.harp.replay.WebSocketConversation;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.Pooled;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Answers a WebSocket upgrade from a recorded conversation, touching no network: the handshake is Undertow's (the
 * accept key computed from the client's, the recorded subprotocol chosen, no extensions), then the server's
 * messages are played as {@link WebSocketConversation} says, one at a time and in order, on the connection's I/O
 * thread. Pings are answered with pongs and a client's close with a close (Undertow's receive listener does both);
 * a client message that matches nothing closes the connection with 1008.
 */
final class WebSocketReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketReplayer.class);
    /** How long a closing connection waits for the client's close frame before it is cut. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    /** The connections being replayed (Undertow's handshake wants the set of its peers). */
    private final Set<WebSocketChannel> open = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final long maxMessageBytes;

    /** @param maxMessageBytes the largest message read from a client; a longer one closes the connection (1009) */
    WebSocketReplayer(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Whether the exchange is a WebSocket upgrade Harp can answer: a GET over HTTP/1.1 asking for websocket. */
    static boolean isUpgrade(HttpServerExchange ex) {
        String upgrade = ex.getRequestHeaders().getFirst(Headers.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")
                && Methods.GET.equals(ex.getRequestMethod()) && Protocols.HTTP_1_1.equals(ex.getProtocol());
    }

    /**
     * Completes the handshake and plays the conversation.
     *
     * @param recorded the recorded response's headers (hop-by-hop ones already dropped)
     * @param label e.g. {@code GET https://host/path}, for log lines
     */
    void serve(HttpServerExchange ex, WebSocketConversation conversation, List<HttpHeader> recorded, String label) {
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(ex, open);
        String subprotocol = conversation.subprotocol();
        Hybi13Handshake handshake = new Hybi13Handshake(subprotocol == null ? Set.of() : Set.of(subprotocol), false);
        if (!handshake.matches(facade)) {
            Exchanges.sendPlain(ex, 400, "Harp: " + Redactor.forLog(label) + " is not a WebSocket handshake Harp can answer (version 13,"
                    + " with Sec-WebSocket-Key); recorded entry #" + conversation.entryIndex() + " is a WebSocket conversation");
            return;
        }
        for (HttpHeader h : recorded) { // e.g. Set-Cookie on the 101; the handshake's own headers are computed anew
            HttpString name = HttpString.tryFromString(h.name());
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (name != null && !lower.startsWith("sec-websocket-") && !lower.equals("content-length")
                    && !lower.equals("transfer-encoding")) {
                ex.getResponseHeaders().add(name, h.value());
            }
        }
        ex.upgradeChannel((connection, exchange) -> {
            WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
            open.add(channel);
            channel.addCloseTask(open::remove);
            new Player(channel, conversation, label).start();
        });
        handshake.handshake(facade);
    }

    /** One connection: the queue of server messages still to send and the receive side. */
    private final class Player extends AbstractReceiveListener {
        private final WebSocketChannel channel;
        private final WebSocketConversation conversation;
        private final String label;
        private final ArrayDeque<WebSocketConversation.Outgoing> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closing;

        Player(WebSocketChannel channel, WebSocketConversation conversation, String label) {
            this.channel = channel;
            this.conversation = conversation;
            this.label = label;
        }

        void start() {
            channel.getReceiveSetter().set(this);
            channel.resumeReceives();
            play(conversation.opening());
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
            reply(conversation.onMessage(false, message.getData().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        @SuppressWarnings("deprecation") // Undertow's BufferedBinaryMessage hands its data out as XNIO's Pooled
        protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (ByteBuffer b : data.getResource()) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    bytes.writeBytes(chunk);
                }
                reply(conversation.onMessage(true, bytes.toByteArray()));
            } finally {
                data.free();
            }
        }

        /** A client gone mid-conversation or mid-frame: one DEBUG line, nothing more is sent, the channel closes. */
        @Override
        protected void onError(WebSocketChannel ch, Throwable error) {
            ClientAborts.log(label, "went away during a replayed WebSocket conversation: " + error);
            queue.clear();
            super.onError(ch, error);
        }

        @Override
        protected long getMaxTextBufferSize() {
            return maxMessageBytes;
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return maxMessageBytes;
        }

        private void reply(WebSocketConversation.Reply reply) {
            if (reply.isMiss()) {
                LOG.info("Harp replay miss: a WebSocket message on {} matches nothing recorded in entry #{}; closing with"
                        + " 1008", Redactor.forLog(label), conversation.entryIndex());
                // at once: server messages still waiting for their delay are dropped, the conversation is over
                close(new WebSocketConversation.Outgoing(HarWebSocketMessage.CLOSE,
                        reply.closeReason().getBytes(StandardCharsets.UTF_8), WebSocketConversation.POLICY_VIOLATION, 0));
                return;
            }
            play(reply.messages());
        }

        private void play(List<WebSocketConversation.Outgoing> messages) {
            queue.addAll(messages);
            next();
        }

        /** Sends the head of the queue after its delay, unless a send is under way; on the I/O thread. */
        private void next() {
            if (sending || closing) {
                return;
            }
            WebSocketConversation.Outgoing head = queue.poll();
            if (head == null) {
                return;
            }
            sending = true;
            if (head.delayMillis() > 0) {
                channel.getIoThread().executeAfter(() -> send(head), head.delayMillis(), TimeUnit.MILLISECONDS);
            } else {
                send(head);
            }
        }

        private void send(WebSocketConversation.Outgoing message) {
            if (!channel.isOpen() || channel.isCloseFrameSent() || channel.isCloseFrameReceived()) {
                queue.clear();
                return;
            }
            WebSocketCallback<Void> sent = new WebSocketCallback<>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    sending = false;
                    ch.getIoThread().execute(Player.this::next); // not recursively: an opening may hold many messages
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable error) {
                    ClientAborts.log(label, "went away during a replayed WebSocket conversation: " + error);
                    queue.clear();
                    IoUtils.safeClose(ch);
                }
            };
            switch (message.opcode()) {
                case HarWebSocketMessage.BINARY -> WebSockets.sendBinary(ByteBuffer.wrap(message.payload()), channel, sent);
                case HarWebSocketMessage.CLOSE -> close(message);
                default -> WebSockets.sendText(ByteBuffer.wrap(message.payload()), channel, sent);
            }
        }

        /**
         * Sends a close frame and cuts the connection if the client does not answer it in time; a recorded cut
         * ({@link WebSocketConversation#ABNORMAL}) closes the connection without one.
         */
        private void close(WebSocketConversation.Outgoing message) {
            if (closing || channel.isCloseFrameSent()) {
                return;
            }
            closing = true;
            queue.clear();
            if (message.closeCode() == WebSocketConversation.ABNORMAL) { // recorded: the server cut the connection
                IoUtils.safeClose(channel);
                return;
            }
            if (message.closeCode() == WebSocketConversation.NO_STATUS) {
                WebSockets.sendClose(ByteBuffer.allocate(0), channel, null);
            } else {
                WebSockets.sendClose(message.closeCode(), message.text(), channel, null);
            }
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
