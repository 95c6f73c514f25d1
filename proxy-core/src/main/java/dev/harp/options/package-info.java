/**
 * Harp's option vocabulary, declared once: {@link dev.harp.options.OptionCatalog} lists every option with its name,
 * command-line flag, type, default and meaning, and which {@link dev.harp.options.Face faces} expose it. The CLI,
 * the JUnit annotation and builder take their names and defaults from here; a test keeps them in step.
 */
package dev.harp.options;
