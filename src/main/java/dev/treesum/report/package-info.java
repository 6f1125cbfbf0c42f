/**
 * Reads scan results back out of the database: the reports and the status of scans over
 * the SQL views and functions in {@code db/}, exports in {@code sha256sum} and CSV form,
 * and pruning of old scans' rows. It formats; the commands print.
 */
package dev.treesum.report;
