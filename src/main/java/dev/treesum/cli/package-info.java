/**
 * The commands: the only place that reads arguments and prints to the user. Results go to
 * standard output, logs and messages to standard error.
 */
package dev.treesum.cli;
