package dev.harp.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads just enough of a class file to tell whether it is a test class that uses Harp's JUnit extension: its name,
 * its superclass and interfaces, its access flags, and whether its constant pool names Harp ({@code @Harp},
 * {@code HarpExtension}, or an annotation type of the test classes that carries them) and a JUnit test annotation.
 * Never throws: a file it cannot read gives null.
 */
final class ClassFiles {
    /** Constants by which a class uses Harp's extension: {@code @Harp}, {@code @ExtendWith(HarpExtension.class)}, a field. */
    static final Set<String> HARP = Set.of("Ldev/harp/junit/Harp;", "Ldev/harp/junit/HarpExtension;",
            "dev/harp/junit/HarpExtension");
    /** Descriptors of the annotations that make a method a JUnit Jupiter test. */
    static final Set<String> TESTS = Set.of("Lorg/junit/jupiter/api/Test;", "Lorg/junit/jupiter/api/RepeatedTest;",
            "Lorg/junit/jupiter/params/ParameterizedTest;", "Lorg/junit/jupiter/api/TestFactory;",
            "Lorg/junit/jupiter/api/TestTemplate;");
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ABSTRACT = 0x0400;
    private static final int ACC_ANNOTATION = 0x2000;

    /**
     * What one class file says.
     *
     * @param name       its internal name, e.g. {@code it/harp/Outer$Inner}
     * @param superName  its superclass's internal name, or null
     * @param interfaces its interfaces' internal names
     * @param concrete   neither abstract nor an interface
     * @param annotation an annotation type
     * @param harp       its constant pool names Harp's annotation or extension, or one of {@code extra}
     * @param tests      its constant pool names a JUnit test annotation
     */
    record Info(String name, String superName, List<String> interfaces, boolean concrete, boolean annotation,
                boolean harp, boolean tests) {
    }

    private ClassFiles() {
    }

    /**
     * @param bytes a class file
     * @param extra more descriptors that count as Harp (annotation types that carry {@code @Harp})
     * @return what it says, or null when it is not a readable class file
     */
    static Info read(byte[] bytes, Set<String> extra) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.getInt() != 0xCAFEBABE) {
                return null;
            }
            in.getShort(); // minor
            in.getShort(); // major
            int count = Short.toUnsignedInt(in.getShort());
            String[] utf8 = new String[count];
            int[] classNames = new int[count];
            boolean harp = false;
            boolean tests = false;
            for (int i = 1; i < count; i++) {
                int tag = Byte.toUnsignedInt(in.get());
                switch (tag) {
                    case 1 -> { // Utf8
                        int length = Short.toUnsignedInt(in.getShort());
                        String text = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
                        in.position(in.position() + length);
                        utf8[i] = text;
                        harp |= HARP.contains(text) || extra.contains(text);
                        tests |= TESTS.contains(text);
                    }
                    case 7 -> classNames[i] = Short.toUnsignedInt(in.getShort()); // Class
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                    case 5, 6 -> { // Long, Double: two slots
                        in.position(in.position() + 8);
                        i++;
                    }
                    case 8, 16, 19, 20 -> in.position(in.position() + 2);
                    case 15 -> in.position(in.position() + 3);
                    default -> {
                        return null;
                    }
                }
            }
            int access = Short.toUnsignedInt(in.getShort());
            String name = className(utf8, classNames, Short.toUnsignedInt(in.getShort()));
            String superName = className(utf8, classNames, Short.toUnsignedInt(in.getShort()));
            int interfaceCount = Short.toUnsignedInt(in.getShort());
            List<String> interfaces = new ArrayList<>();
            for (int i = 0; i < interfaceCount; i++) {
                String itf = className(utf8, classNames, Short.toUnsignedInt(in.getShort()));
                if (itf != null) {
                    interfaces.add(itf);
                }
            }
            if (name == null) {
                return null;
            }
            return new Info(name, superName, interfaces, (access & (ACC_ABSTRACT | ACC_INTERFACE)) == 0,
                    (access & ACC_ANNOTATION) != 0, harp, tests);
        } catch (RuntimeException e) { // a truncated or odd file
            return null;
        }
    }

    private static String className(String[] utf8, int[] classNames, int index) {
        if (index <= 0 || index >= classNames.length || classNames[index] <= 0 || classNames[index] >= utf8.length) {
            return null;
        }
        return utf8[classNames[index]];
    }
}
