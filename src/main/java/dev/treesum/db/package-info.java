/**
 * The database: the embedded PostgreSQL that serves when no {@code spring.datasource.url}
 * is set, and how to reach it. The SQL itself lives in {@code db/} at the top of the
 * repository.
 */
package dev.treesum.db;
