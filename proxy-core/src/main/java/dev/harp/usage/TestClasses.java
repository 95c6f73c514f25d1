package dev.harp.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled test classes of a build, by the folder names the JUnit extension gives their fixtures (the simple
 * name, nested classes joined with {@code _}): tells a deleted test class from one that exists but did not run.
 */
final class TestClasses {
    private static final Logger LOG = LoggerFactory.getLogger(TestClasses.class);
    /** Class files read at most; beyond it the names are unknown (never "deleted"). */
    static final int MAX_CLASSES = 500_000;
    /** A class file larger than this is not read for Harp's annotation (it is still counted by name). */
    static final long MAX_CLASS_BYTES = 4L * 1024 * 1024;

    private final Set<String> names;
    private final Instant newest;
    private final Set<String> harpClasses;

    private TestClasses(Set<String> names, Instant newest, Set<String> harpClasses) {
        this.names = names;
        this.newest = newest;
        this.harpClasses = harpClasses;
    }

    /**
     * @param folders the test class folders; none, or none that exists, means unknown
     * @return their classes
     */
    static TestClasses in(Collection<Path> folders) {
        Set<String> names = new HashSet<>();
        List<Path> files = new java.util.ArrayList<>();
        Instant[] newest = {null};
        boolean any = false;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            any = true;
            try {
                Files.walkFileTree(folder, EnumSet.noneOf(FileVisitOption.class), 64, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".class")) {
                            if (names.size() >= MAX_CLASSES) {
                                throw new IOException("more than " + MAX_CLASSES + " class files");
                            }
                            names.add(name.substring(0, name.length() - ".class".length()).replace('$', '_'));
                            if (attrs.size() <= MAX_CLASS_BYTES) {
                                files.add(file);
                            }
                            Instant modified = attrs.lastModifiedTime().toInstant();
                            if (newest[0] == null || modified.isAfter(newest[0])) {
                                newest[0] = modified;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                LOG.debug("Harp cannot list the test classes in {}: {}", folder, e.toString());
                return new TestClasses(null, null, Set.of());
            }
        }
        if (!any) {
            return new TestClasses(null, null, Set.of());
        }
        return new TestClasses(names, newest[0], harpClasses(files));
    }

    /**
     * The concrete test classes that use Harp: a class neither abstract nor an interface nor anonymous, that (or an
     * ancestor among these classes) names Harp's annotation or extension, or an annotation type of these classes
     * that does, and (or an ancestor) a JUnit test annotation.
     */
    private static Set<String> harpClasses(List<Path> files) {
        Map<String, ClassFiles.Info> infos = read(files, Set.of());
        Set<String> metaAnnotations = new HashSet<>();
        for (ClassFiles.Info info : infos.values()) {
            if (info.annotation() && info.harp()) {
                metaAnnotations.add("L" + info.name() + ";");
            }
        }
        if (!metaAnnotations.isEmpty()) {
            infos = read(files, metaAnnotations);
        }
        Set<String> out = new java.util.TreeSet<>();
        for (ClassFiles.Info info : infos.values()) {
            String simple = info.name().substring(info.name().lastIndexOf('/') + 1);
            boolean anonymous = simple.matches(".*\\$\\d.*");
            if (info.concrete() && !info.annotation() && !anonymous
                    && inherits(info, infos, ClassFiles.Info::harp) && inherits(info, infos, ClassFiles.Info::tests)) {
                out.add(simple.replace('$', '_'));
            }
        }
        return out;
    }

    private static Map<String, ClassFiles.Info> read(List<Path> files, Set<String> extra) {
        Map<String, ClassFiles.Info> infos = new HashMap<>();
        for (Path file : files) {
            try {
                ClassFiles.Info info = ClassFiles.read(Files.readAllBytes(file), extra);
                if (info != null) {
                    infos.put(info.name(), info);
                }
            } catch (IOException e) {
                LOG.debug("Harp cannot read {}: {}", file, e.toString());
            }
        }
        return infos;
    }

    /** Whether the class or an ancestor among the test classes (superclasses, interfaces) has the property. */
    private static boolean inherits(ClassFiles.Info start, Map<String, ClassFiles.Info> infos,
                                    java.util.function.Predicate<ClassFiles.Info> property) {
        java.util.Deque<ClassFiles.Info> todo = new java.util.ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty() && seen.size() < 256) {
            ClassFiles.Info info = todo.pop();
            if (!seen.add(info.name())) {
                continue;
            }
            if (property.test(info)) {
                return true;
            }
            List<String> parents = new java.util.ArrayList<>(info.interfaces());
            if (info.superName() != null) {
                parents.add(info.superName());
            }
            for (String parent : parents) {
                ClassFiles.Info p = infos.get(parent);
                if (p != null) {
                    todo.push(p);
                }
            }
        }
        return false;
    }

    /** @return when the newest class file was written, if any is known */
    Optional<Instant> newest() {
        return Optional.ofNullable(newest);
    }

    /**
     * @return the concrete test classes that use Harp ({@code @Harp}, {@code HarpExtension}, inherited or through an
     *         annotation of the test classes), by fixture folder name ({@code WeatherTest}, {@code Outer_Inner});
     *         empty when unknown
     */
    Set<String> harpClasses() {
        return harpClasses;
    }

    /** @return whether the classes are known (a folder was given, exists and could be read) */
    boolean known() {
        return names != null;
    }

    /**
     * @param folderName a fixture folder's name, e.g. {@code WeatherTest} or {@code Outer_Inner}
     * @return whether a compiled class bears that name
     */
    boolean exists(String folderName) {
        return names != null && names.contains(folderName);
    }
}
