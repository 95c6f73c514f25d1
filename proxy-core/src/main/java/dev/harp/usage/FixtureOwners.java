package dev.harp.usage;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Who a fixture belongs to, by the JUnit extension's naming ({@code <directory>/<Class>/<test>.har}) and the JUnit
 * unique ids in usage data: the rules {@link BuildUsage} applies to files no test opened and to fixtures shared
 * beyond one test.
 */
final class FixtureOwners {
    private FixtureOwners() {
    }

    /**
     * Why a fixture shared beyond one test may not lose entries: some concrete Harp test classes among the compiled
     * ones did not run in this build (excluded, or only unit tests ran), and a shared fixture may serve them; or the
     * compiled test classes are unknown. Empty when every Harp test class ran.
     */
    static String harpClassesNotRun(TestClasses classes, Set<String> ranClasses) {
        if (!classes.known()) {
            return "without the compiled test classes Harp cannot tell whether every Harp test class ran, and a "
                    + "fixture not of one test alone may serve one that did not";
        }
        List<String> missing = classes.harpClasses().stream().filter(c -> !ranClasses.contains(c)).toList();
        if (missing.isEmpty()) {
            return "";
        }
        return "Harp test classes did not run in this build (" + String.join(", ", missing.subList(0,
                Math.min(3, missing.size()))) + (missing.size() > 3 ? " and " + (missing.size() - 3) + " more" : "")
                + "), and a fixture not of one test alone may serve them";
    }

    /** Whether every use of a fixture is by one test and the file bears that test's own name. */
    static boolean ownFixture(Path file, List<FixtureUse> uses) {
        return !uses.isEmpty() && uses.stream().map(FixtureUse::userId).distinct().count() == 1
                && singleTest(uses.get(0).userId()) && namedAfter(file, uses.get(0).userId());
    }

    /**
     * @param userId a JUnit unique id
     * @return the fixture folder name of its test class ({@code WeatherTest}, nested {@code Outer_Inner}), or null
     *         when it names no class
     */
    static String className(String userId) {
        String klass = null;
        for (String segment : userId.split("/")) {
            if (!segment.startsWith("[") || !segment.endsWith("]") || segment.indexOf(':') < 0) {
                return null;
            }
            String type = segment.substring(1, segment.indexOf(':'));
            String value = segment.substring(segment.indexOf(':') + 1, segment.length() - 1);
            if (type.equals("class")) {
                klass = value.substring(value.lastIndexOf('.') + 1).replace('$', '_');
            } else if (type.equals("nested-class")) {
                klass = klass == null ? null : klass + "_" + value;
            }
        }
        return klass;
    }

    /**
     * Whether a folder name reads as a test class Surefire or Failsafe would run by default ({@code Test*},
     * {@code *Test}, {@code *Tests}, {@code *TestCase}, {@code IT*}, {@code *IT}, {@code *ITCase}; for nested
     * classes the outer one): only such a folder whose class is gone is taken for a deleted class's.
     */
    static boolean testClassName(String name) {
        String outer = name.contains("_") ? name.substring(0, name.indexOf('_')) : name;
        for (String n : List.of(name, outer)) {
            if (n.startsWith("Test") || n.endsWith("Test") || n.endsWith("Tests") || n.endsWith("TestCase")
                    || n.startsWith("IT") || n.endsWith("IT") || n.endsWith("ITCase")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The folder of the test class a fixture belongs to by the JUnit extension's naming, {@code <directory>/<Class>/
     * <test>.har}: the file's folder, when that lies under a fixture root without being one; empty otherwise.
     */
    static java.util.Optional<Path> classFolder(Path file, List<Path> roots) {
        Path parent = file.getParent();
        for (Path root : roots) {
            if (parent != null && parent.startsWith(root) && !parent.equals(root)) {
                return java.util.Optional.of(parent);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether a folder name reads as the JUnit extension's name of a test class: {@code WeatherTest}, {@code Outer_Inner}. */
    static boolean classLike(String name) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why an orphan (a file no use names, in a run that was not narrowed) must stay, or empty when it may go: it must
     * lie in the folder of a test class ({@code <Class>/x.har}) that either ran in this build (so its other fixtures
     * are named by its uses, and tests filtered out of it are recorded as skipped) or no longer exists among the
     * compiled test classes (deleted or renamed).
     */
    static String orphanOwner(Path file, List<Path> roots, Set<Path> ranFolders, TestClasses classes) {
        java.util.Optional<Path> folder = classFolder(file, roots);
        if (folder.isPresent() && ranFolders.contains(folder.get())) {
            return ""; // its class ran: a test of it that no longer opens the file was renamed or deleted
        }
        String name = folder.map(f -> f.getFileName().toString()).orElse("");
        if (!classLike(name)) {
            return "no test opened it, and it is not in a test class's folder (<Class>/" + file.getFileName()
                    + "), so Harp cannot tell which tests would need it";
        }
        if (!classes.known()) {
            return "no test opened it, but its test class " + name + " did not run in this build (excluded, "
                    + "filtered or run elsewhere); with the test classes folder Harp can tell a deleted class";
        }
        if (classes.exists(name)) {
            return "no test opened it, but its test class " + name + " exists and did not run in this build "
                    + "(excluded, filtered, or run by another plugin)";
        }
        if (!testClassName(name)) {
            return "no test opened it, and no class " + name + " exists, but " + name + " is not named like a test "
                    + "class (Test*, *Test, *Tests, *TestCase, IT*, *IT, *ITCase): it may be a folder of shared fixtures";
        }
        return "";
    }

    /** Whether a JUnit unique id names one test (a method, an invocation of a template, a dynamic test). */
    static boolean singleTest(String userId) {
        return userId.contains("[method:") || userId.contains("[test-template-invocation:")
                || userId.contains("[dynamic-test:");
    }

    /**
     * Whether a fixture file bears the name the JUnit extension gives the fixture of the test with this unique id:
     * {@code <Class>/<method>.har}, or {@code <Class>/<method>_<invocation>.har} for an invocation of a test
     * template or a dynamic test of a factory; {@code <Class>} is the simple name, nested classes joined by {@code _}.
     */
    static boolean namedAfter(Path file, String userId) {
        String klass = className(userId);
        String method = null;
        boolean invocation = false;
        for (String segment : userId.split("/")) {
            if (!segment.startsWith("[") || !segment.endsWith("]") || segment.indexOf(':') < 0) {
                return false;
            }
            String type = segment.substring(1, segment.indexOf(':'));
            String value = segment.substring(segment.indexOf(':') + 1, segment.length() - 1);
            switch (type) {
                case "method", "test-template", "test-factory" -> method = value.contains("(")
                        ? value.substring(0, value.indexOf('(')) : value;
                case "test-template-invocation", "dynamic-test" -> invocation = true;
                default -> { }
            }
        }
        if (klass == null || method == null || method.isEmpty() || file.getParent() == null
                || file.getParent().getFileName() == null) {
            return false;
        }
        String name = file.getFileName().toString();
        if (!name.endsWith(".har") || !file.getParent().getFileName().toString().equals(klass)) {
            return false;
        }
        String stem = name.substring(0, name.length() - ".har".length());
        return stem.equals(method) || invocation && stem.startsWith(method + "_");
    }
}
