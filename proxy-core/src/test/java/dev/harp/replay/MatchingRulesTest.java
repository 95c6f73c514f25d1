package dev.harp.replay;

import static dev.harp.replay.Fixtures.form;
import static dev.harp.replay.Fixtures.get;
import static dev.harp.replay.Fixtures.index;
import static dev.harp.replay.Fixtures.json;
import static dev.harp.replay.Fixtures.multipart;
import static dev.harp.replay.Fixtures.served;
import static dev.harp.replay.Fixtures.withUrl;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What matches what: one rule per test, each with a request that must hit and one that must miss. */
class MatchingRulesTest {

    private static final String USERS = "https://api.example.com/v1/users";

    @Test
    void anIdenticalRequestHits() {
        ReplayIndex<String> index = index(get(USERS + "?page=1"), "page one");

        Lookup<String> lookup = index.find(get(USERS + "?page=1"));

        assertThat(lookup.isHit()).isTrue();
        assertThat(lookup.payload()).isEqualTo("page one");
        assertThat(lookup.entryIndex()).isZero();
    }

    @Test
    void methodSchemeHostPortAndPathMustAllBeEqual() {
        ReplayIndex<String> index = index(get(USERS), "users");

        assertThat(served(index,
                MatchRequest.of("HEAD", USERS),
                MatchRequest.of("get", USERS),
                get("http://api.example.com:443/v1/users"),
                get("https://other.example.com/v1/users"),
                get("https://api.example.com:8443/v1/users"),
                get("https://api.example.com/v1/users/"),
                get("https://API.example.com:443/v1/users")))
                .containsExactly("miss", "miss", "miss", "miss", "miss", "miss", "users");
    }

    @Test
    void percentEscapesInThePathCompareWithoutRegardToHexCase() {
        ReplayIndex<String> index = index(get("https://api.example.com/files/a%2fb"), "file");

        assertThat(served(index, get("https://api.example.com/files/a%2Fb"), get("https://api.example.com/files/a/b")))
                .containsExactly("file", "miss");
    }

    @Nested
    class QueryParameters {

        @Test
        void orderDoesNotMatter() {
            ReplayIndex<String> index = index(get(USERS + "?page=2&sort=name"), "sorted");

            assertThat(served(index, get(USERS + "?sort=name&page=2"))).containsExactly("sorted");
        }

        @Test
        void repeatedParametersCountAsAMultiset() {
            ReplayIndex<String> index = index(get(USERS + "?tag=a&tag=b&tag=a"), "tags");

            assertThat(served(index,
                    get(USERS + "?tag=b&tag=a&tag=a"),
                    get(USERS + "?tag=a&tag=b"),
                    get(USERS + "?tag=a&tag=b&tag=b"),
                    get(USERS + "?tag=a&tag=b&tag=a&tag=c")))
                    .containsExactly("tags", "miss", "miss", "miss");
        }

        @Test
        void plusAndPercent20AreBothASpace() {
            ReplayIndex<String> index = index(get(USERS + "?q=ada+lovelace"), "found");

            assertThat(served(index, get(USERS + "?q=ada%20lovelace"), get(USERS + "?q=ada%2Blovelace")))
                    .containsExactly("found", "miss");
        }

        @Test
        void ignoredParametersMayDifferOrBeAbsent() {
            MatchOptions options = MatchOptions.builder().ignoreQueryParams("_", "ts").build();
            ReplayIndex<String> index = index(options, get(USERS + "?page=1&_=1700000000&ts=1"), "page one");

            assertThat(served(index,
                    get(USERS + "?_=1712345678&page=1"),
                    get(USERS + "?page=1&ts=2&ts=3"),
                    get(USERS + "?page=2&_=1700000000&ts=1")))
                    .containsExactly("page one", "page one", "miss");
        }
    }

    @Nested
    class JsonBodies {

        @Test
        void memberOrderWhitespaceAndNumberSpellingDoNotMatter() {
            ReplayIndex<String> index = index(json(USERS, "{\"name\":\"Ada\",\"age\":36,\"tags\":[\"a\",\"b\"]}"), "created");

            assertThat(served(index,
                    json(USERS, "{ \"tags\" : [ \"a\", \"b\" ],\n  \"age\": 36.0, \"name\": \"Ada\" }"),
                    json(USERS, "{\"name\":\"Ada\",\"age\":36,\"tags\":[\"b\",\"a\"]}"),
                    json(USERS, "{\"name\":\"Ada\",\"age\":\"36\",\"tags\":[\"a\",\"b\"]}")))
                    .containsExactly("created", "miss", "miss");
        }

        @Test
        void ignoredJsonPathsAreRemovedFromBothBodies() {
            MatchOptions options = MatchOptions.builder()
                    .ignoreJsonPaths("$.timestamp", "$.meta.requestId", "$.items[*].id")
                    .build();
            ReplayIndex<String> index = index(options, json(USERS,
                    "{\"timestamp\":1,\"meta\":{\"requestId\":\"r-1\",\"v\":2},\"items\":[{\"id\":1,\"n\":\"x\"},{\"id\":2,\"n\":\"y\"}]}"),
                    "saved");

            assertThat(served(index,
                    json(USERS, "{\"meta\":{\"v\":2,\"requestId\":\"r-9\"},\"items\":[{\"id\":7,\"n\":\"x\"},{\"n\":\"y\"}]}"),
                    json(USERS, "{\"meta\":{\"v\":3},\"items\":[{\"id\":7,\"n\":\"x\"},{\"id\":8,\"n\":\"y\"}]}"),
                    json(USERS, "{\"meta\":{\"v\":2},\"items\":[{\"id\":7,\"n\":\"x\"}]}")))
                    .containsExactly("saved", "miss", "miss");
        }

        @Test
        void aJsonBodyAndAnEqualNonJsonBodyStillHitByBytes() {
            ReplayIndex<String> index = index(json(USERS, "not json at all"), "text");

            assertThat(served(index, json(USERS, "not json at all"), json(USERS, "not json at all!")))
                    .containsExactly("text", "miss");
        }
    }

    @Nested
    class FormAndMultipartBodies {

        @Test
        void formFieldsCompareAsAMultisetOfDecodedFields() {
            ReplayIndex<String> index = index(form(USERS, "name=Ada+Lovelace&role=admin&role=dev"), "form");

            assertThat(served(index,
                    form(USERS, "role=dev&name=Ada%20Lovelace&role=admin"),
                    form(USERS, "name=Ada+Lovelace&role=admin")))
                    .containsExactly("form", "miss");
        }

        @Test
        void multipartBodiesWithDifferentBoundariesMatchPartByPart() {
            String nameField = "Content-Disposition: form-data; name=\"name\"\r\n\r\nAda";
            String avatar = "Content-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n\u0089PNG";
            ReplayIndex<String> index = index(multipart(USERS, "----recorded123", nameField, avatar), "uploaded");

            assertThat(served(index, multipart(USERS, "xYz-live-boundary", nameField, avatar)))
                    .containsExactly("uploaded");
        }

        @Test
        void multipartBodiesWithDifferentPartContentMiss() {
            String nameField = "Content-Disposition: form-data; name=\"name\"\r\n\r\nAda";
            ReplayIndex<String> index = index(multipart(USERS, "b1", nameField), "uploaded");

            assertThat(served(index,
                    multipart(USERS, "b2", "Content-Disposition: form-data; name=\"name\"\r\n\r\nGrace"),
                    multipart(USERS, "b2", "Content-Disposition: form-data; name=\"nick\"\r\n\r\nAda"),
                    multipart(USERS, "b2", nameField, nameField)))
                    .containsExactly("miss", "miss", "miss");
        }

        @Test
        void ignoreBodyMatchesWhateverTheBody() {
            MatchOptions options = MatchOptions.builder().ignoreBody(true).build();
            ReplayIndex<String> index = index(options, json(USERS, "{\"a\":1}"), "any body");

            assertThat(served(index, json(USERS, "{\"a\":2}"), withUrl("POST", USERS).build()))
                    .containsExactly("any body", "any body");
        }
    }

    @Nested
    class Headers {

        private final MatchRequest jsonAccept = withUrl("GET", USERS).header("Accept", "application/json").build();
        private final MatchRequest csvAccept = withUrl("GET", USERS).header("accept", "text/csv").build();

        @Test
        void areNotComparedByDefault() {
            ReplayIndex<String> index = index(jsonAccept, "json");

            assertThat(served(index, csvAccept, get(USERS))).containsExactly("json", "json");
        }

        @Test
        void namedInMatchHeadersMustBeEqual() {
            MatchOptions options = MatchOptions.builder().matchHeaders("ACCEPT").build();
            ReplayIndex<String> index = index(options, jsonAccept, "json", csvAccept, "csv");

            assertThat(served(index,
                    withUrl("GET", USERS).header("accept", "text/csv").header("X-Other", "1").build(),
                    withUrl("GET", USERS).header("Accept", "application/json").build(),
                    withUrl("GET", USERS).header("Accept", "text/html").build(),
                    get(USERS)))
                    .containsExactly("csv", "json", "miss", "miss");
        }
    }

    @Test
    void hostAliasesAnswerALocalOriginFromEntriesRecordedForAnother() {
        MatchOptions options = MatchOptions.builder().hostAlias("localhost:9999", "api.example.com:443").build();
        ReplayIndex<String> index = index(options, get(USERS), "users");

        assertThat(served(index,
                get("http://localhost:9999/v1/users"),
                get("http://localhost:9998/v1/users"),
                get(USERS)))
                .containsExactly("users", "miss", "users");
    }

    @Nested
    class RedactedValues {

        @Test
        void matchAnyLiveQueryParameterValue() {
            ReplayIndex<String> index = index(get(USERS + "?api_key=REDACTED&page=1"), "users");

            assertThat(served(index, get(USERS + "?page=1&api_key=s3cr3t"), get(USERS + "?page=1")))
                    .containsExactly("users", "miss");
        }

        @Test
        void matchAnyLiveHeaderValue() {
            MatchOptions options = MatchOptions.builder().matchHeaders("Authorization").build();
            ReplayIndex<String> index = index(options,
                    withUrl("GET", USERS).header("Authorization", "REDACTED").build(), "users");

            assertThat(served(index, withUrl("GET", USERS).header("Authorization", "Bearer eyJ...").build(), get(USERS)))
                    .containsExactly("users", "miss");
        }

        @Test
        void matchAnyLiveJsonValue() {
            ReplayIndex<String> index = index(json(USERS, "{\"user\":\"ada\",\"password\":\"REDACTED\"}"), "logged in");

            assertThat(served(index,
                    json(USERS, "{\"password\":\"hunter2\",\"user\":\"ada\"}"),
                    json(USERS, "{\"password\":12345,\"user\":\"ada\"}"),
                    json(USERS, "{\"user\":\"ada\"}")))
                    .containsExactly("logged in", "logged in", "miss");
        }

        @Test
        void matchAnyLiveFormFieldValue() {
            ReplayIndex<String> index = index(form(USERS, "user=ada&password=REDACTED"), "logged in");

            assertThat(served(index, form(USERS, "password=hunter2&user=ada"), form(USERS, "password=x&user=bob")))
                    .containsExactly("logged in", "miss");
        }

        @Test
        void onlyOnTheRecordedSide() {
            ReplayIndex<String> index = index(get(USERS + "?token=abc"), "users");

            assertThat(served(index, get(USERS + "?token=REDACTED"))).containsExactly("miss");
        }
    }
}
