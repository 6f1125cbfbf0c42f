/**
 * Benchmarks that drive treesum as a user does, through its command line in child
 * processes, so that any build can be measured; each prints its figures beside the peer
 * it names and asserts none of them.
 */
package dev.treesum.bench;
