package dev.treesum.cli;

import picocli.CommandLine.Command;

import org.springframework.stereotype.Component;

/**
 * The top-level {@code treesum} command, which only holds the subcommands.
 */
@Component
@Command(name = "treesum", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Checksums every file under a set of file system roots into PostgreSQL.",
		subcommands = { ScanCommand.class, StatusCommand.class, ExportCommand.class },
		footer = { "", "Exit codes: 0 completed, 1 failed (resumable), 2 bad usage, 3 stopped (resumable),",
				"4 already running elsewhere." })
class TreesumCommand {

}
