package dev.harp.bench;

import java.nio.charset.StandardCharsets;

/** The two response bodies: 1 KiB and 64 KiB of text, served as {@code text/plain}. */
enum Bodies {
    /** 1,024 bytes. */
    K1("1k", "1 KiB", 1024),
    /** 65,536 bytes. */
    K64("64k", "64 KiB", 64 * 1024);

    final String path;
    final String label;
    final int length;

    Bodies(String name, String label, int length) {
        this.path = "/" + name;
        this.label = label;
        this.length = length;
    }

    /** The body: printable ASCII lines, deterministic. */
    byte[] bytes() {
        StringBuilder sb = new StringBuilder(length);
        int line = 0;
        while (sb.length() < length) {
            String s = "harp benchmark body line " + line++ + " abcdefghijklmnopqrstuvwxyz0123456789\n";
            sb.append(s, 0, Math.min(s.length(), length - sb.length()));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
