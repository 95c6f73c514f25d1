package dev.harp.tls;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the host names and IP literals clients send (SNI, CONNECT target, peer host) into one
 * canonical form, without ever touching DNS.
 *
 * <p>Names become lower-case ASCII (IDNA form for non-ASCII names) without a trailing dot. IPv4
 * literals must be plain dotted quads; IPv6 literals may be bracketed and become their RFC 5952
 * text ({@code ::1}).
 */
final class HostNames {
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private HostNames() {
    }

    /** A parsed host: its canonical text and, for an IP literal, the address bytes (4 or 16). */
    static final class Host {
        final String name;
        final byte[] address;

        private Host(String name, byte[] address) {
            this.name = name;
            this.address = address;
        }

        boolean isIpAddress() {
            return address != null;
        }
    }

    /**
     * The canonical form of a host name or IP literal.
     *
     * @throws IllegalArgumentException if it is neither a valid name nor a valid literal
     */
    static String normalize(String host) {
        return parse(host).name;
    }

    static Host parse(String host) {
        if (host == null) {
            throw new IllegalArgumentException("host is null");
        }
        String text = host.strip();
        if (text.startsWith("[") && text.endsWith("]") && text.length() > 2) {
            return parseIpv6(host, text.substring(1, text.length() - 1));
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(host, text);
        }
        if (DIGITS_AND_DOTS.matcher(text).matches()) {
            if (!DOTTED_QUAD.matcher(text).matches()) {
                throw new IllegalArgumentException("not a valid IPv4 address: \"" + host + "\"");
            }
            String[] parts = text.split("\\.");
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                address[i] = (byte) Integer.parseInt(parts[i]);
            }
            return new Host(text, address);
        }
        return new Host(dnsName(host, text), null);
    }

    private static Host parseIpv6(String original, String literal) {
        String withoutZone = literal.indexOf('%') >= 0 ? literal.substring(0, literal.indexOf('%')) : literal;
        if (!withoutZone.contains(":") || !IPV6_CHARACTERS.matcher(withoutZone).matches()) {
            throw new IllegalArgumentException("not a valid IPv6 address: \"" + original + "\"");
        }
        InetAddress address;
        try {
            // A string of hex digits, colons and dots that contains a colon is parsed as a literal: no DNS.
            address = InetAddress.getByName(withoutZone);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address: \"" + original + "\"", e);
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return new Host(address.getHostAddress(), bytes);
        }
        return new Host(ipv6Text(bytes), bytes);
    }

    private static String dnsName(String original, String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        String ascii;
        try {
            ascii = IDN.toASCII(name.toLowerCase(Locale.ROOT)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid host name: \"" + original + "\" (" + e.getMessage() + ")", e);
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new IllegalArgumentException("not a valid host name: \"" + original + "\"");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name: \"" + original + "\"");
            }
        }
        return ascii;
    }

    /** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    static String ipv6Text(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
