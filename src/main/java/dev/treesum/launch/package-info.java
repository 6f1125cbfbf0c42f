/**
 * Running scans: starting a new one, resuming one that failed, was stopped or was
 * abandoned by a process that died, deciding by evidence who owns a running scan, and
 * stopping gracefully on a signal. One process at a time runs the scans of a host's set
 * of roots.
 */
package dev.treesum.launch;
