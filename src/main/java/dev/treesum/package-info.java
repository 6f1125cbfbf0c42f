/**
 * treesum checksums every file under a set of file system roots into PostgreSQL, as a
 * partitioned Spring Batch job whose job repository lives in the same database.
 */
package dev.treesum;
