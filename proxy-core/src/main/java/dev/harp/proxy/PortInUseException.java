package dev.harp.proxy;

import java.io.IOException;

/** The port Harp was asked to listen on is taken. */
public final class PortInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String bind, int port, Throwable cause) {
        super("port " + port + " on " + bind + " is already in use (choose another with --port, or --port 0 for any free port)", cause);
    }
}
