/**
 * Reads scan results back out of the database: exports in {@code sha256sum} and CSV form
 * (and, later, the reports over the SQL views in {@code db/}).
 */
package dev.treesum.report;
