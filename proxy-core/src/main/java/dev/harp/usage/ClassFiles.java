package dev.harp.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads just enough of a class file to tell whether it is a concrete class that uses Harp's JUnit extension: its
 * constant pool names {@code dev/harp/junit/Harp} ({@code @Harp}) or {@code dev/harp/junit/HarpExtension}, and its
 * access flags are neither abstract nor an interface. Never throws: a file it cannot read is "no".
 */
final class ClassFiles {
    private static final byte[] HARP = "dev/harp/junit/Harp".getBytes(StandardCharsets.US_ASCII);
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ABSTRACT = 0x0400;

    private ClassFiles() {
    }

    static boolean concreteUserOfHarp(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != 0xCAFEBABE) {
                return false;
            }
            in.getShort(); // minor
            in.getShort(); // major
            int count = Short.toUnsignedInt(in.getShort());
            boolean harp = false;
            for (int i = 1; i < count; i++) {
                int tag = Byte.toUnsignedInt(in.get());
                switch (tag) {
                    case 1 -> { // Utf8
                        int length = Short.toUnsignedInt(in.getShort());
                        harp |= startsWithHarp(bytes, in.position(), length);
                        in.position(in.position() + length);
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                    case 5, 6 -> { // Long, Double: two slots
                        in.position(in.position() + 8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                    case 15 -> in.position(in.position() + 3);
                    default -> {
                        return false;
                    }
                }
            }
            int access = Short.toUnsignedInt(in.getShort());
            return harp && (access & (ACC_ABSTRACT | ACC_INTERFACE)) == 0;
        } catch (RuntimeException e) { // a truncated or odd file
            return false;
        }
    }

    /** Whether the UTF-8 constant at {@code offset} holds {@code dev/harp/junit/Harp} (a descriptor or a name). */
    private static boolean startsWithHarp(byte[] bytes, int offset, int length) {
        outer:
        for (int i = offset; i + HARP.length <= offset + length; i++) {
            for (int j = 0; j < HARP.length; j++) {
                if (bytes[i + j] != HARP[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
