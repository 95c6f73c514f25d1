/**
 * HAR 1.2 (HTTP Archive) model used by Harp to store and replay recordings.
 *
 * <p>The model is a set of immutable records, one per HAR object ({@link dev.harp.har.Har},
 * {@link dev.harp.har.HarLog}, {@link dev.harp.har.HarEntry}, ...). It is <em>lenient when
 * reading</em> ({@link dev.harp.har.HarReader} accepts what real tools write: byte-order marks,
 * {@code -1} and fractional timings, numbers written as strings, missing members, wrong container
 * types) and <em>strict when writing</em> ({@link dev.harp.har.HarWriter} always emits every member
 * that HAR 1.2 requires, in the specification's order, deterministically and atomically).
 *
 * <p>Members a type does not know, whether custom ({@code _initiator}) or vendor-specific without
 * the underscore ({@code settingEncodeUrl}), are kept in each record's {@code extensions()} map in
 * their original order and written back after the known members, so a read/write round trip of a
 * well-formed file loses nothing.
 *
 * <p>Extension values are Jackson {@link com.fasterxml.jackson.databind.JsonNode} trees. They are
 * copied when a record is created from caller-supplied maps, and are shared (not copied) when read
 * back through an accessor: treat them as read-only and {@code deepCopy()} before changing one.
 */
package dev.harp.har;
