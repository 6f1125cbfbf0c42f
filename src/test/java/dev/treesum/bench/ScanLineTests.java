package dev.treesum.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanLineTests {

	@Test
	void readsTheScansDurationInEachFormTreesumPrints() {
		assertThat(
				ScanLine.parse("scan 3 completed: 1,234 files, 5.6 MiB, 0 errors in 4.2 s; changes: added=0").seconds())
			.isEqualTo(4.2);
		assertThat(ScanLine.parse("scan 18 completed: 1,000,000 files, 30.5 MiB, 0 errors in 1m06s; changes: added=0")
			.seconds()).isEqualTo(66);
		assertThat(ScanLine.parse("scan 19 completed: 50,000,000 files, 2.0 TiB, 3 errors in 2h05m").seconds())
			.isEqualTo(7500);
	}

	@Test
	void takesTheLastCompletedLine() {
		ScanLine line = ScanLine.parse("scan 1 completed: 2 files, 10 B, 0 errors in 0.1 s\n"
				+ "scan 2 completed: 3 files, 12 B, 1 error in 0.2 s\n");

		assertThat(line.scanId()).isEqualTo(2);
		assertThat(line.files()).isEqualTo(3);
		assertThat(line.errors()).isEqualTo(1);
	}

}
