package dev.harp.replay;

/**
 * An option that would make a near miss match, spelled for the command line and for Java (the JUnit annotation and
 * the Maven plugin use the Java option names).
 *
 * @param cli  e.g. {@code --ignore-query-param page}
 * @param java e.g. {@code ignoreQueryParams("page")}
 */
public record Suggestion(String cli, String java) {

    static Suggestion ignoreQueryParam(String name) {
        return new Suggestion("--ignore-query-param " + name, "ignoreQueryParams(\"" + name + "\")");
    }

    static Suggestion ignoreJsonPath(String path) {
        return new Suggestion("--ignore-json-path " + path, "ignoreJsonPaths(\"" + path + "\")");
    }

    static Suggestion ignoreBody() {
        return new Suggestion("--ignore-body", "ignoreBody(true)");
    }

    static Suggestion hostAlias(String alias, String recorded) {
        return new Suggestion("--host-alias " + alias + "=" + recorded,
                "hostAlias(\"" + alias + "\", \"" + recorded + "\")");
    }

    static Suggestion stopMatchingHeader(String name) {
        return new Suggestion("drop --match-header " + name, "remove \"" + name + "\" from matchHeaders");
    }

    static Suggestion repeatingSequence() {
        return new Suggestion("--sequence sequence", "sequence(SequencePolicy.SEQUENCE)");
    }

    /** @return both spellings, e.g. {@code --ignore-body / ignoreBody(true)} */
    @Override
    public String toString() {
        return cli + " / " + java;
    }
}
