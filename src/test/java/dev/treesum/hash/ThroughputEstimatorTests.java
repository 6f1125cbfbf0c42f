package dev.treesum.hash;

import java.util.Random;

import dev.treesum.hash.ThroughputEstimator.Sample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The estimator finds the cost per file that makes samples of small and of large files
 * agree, and tells the noise between samples from a change of throughput or of level.
 */
class ThroughputEstimatorTests {

	private static final long KIB = 1024;

	private static final double RATE = 100e6;

	@Test
	void learnsTheCostOfAFileThatMakesSmallAndLargeFilesAgree() {
		ThroughputEstimator estimator = new ThroughputEstimator(128 * KIB);
		for (int i = 0; i < 20; i++) {
			estimator.add((i % 2 == 0) ? sample(4, 10_000_000, 1000, 512 * KIB, RATE)
					: sample(4, 200_000_000, 10, 512 * KIB, RATE));
		}

		assertThat(estimator.cost()).isEqualTo(512 * KIB);
		assertThat(estimator.noise()).isLessThan(1e-6);
	}

	@Test
	void keepsTheInitialCostWhenEverySampleHasTheSameMix() {
		ThroughputEstimator estimator = new ThroughputEstimator(128 * KIB);
		Random random = new Random(3);
		for (int i = 0; i < 20; i++) {
			estimator.add(sample(4, 50_000_000, 100, 512 * KIB, RATE * Math.exp(0.1 * random.nextGaussian())));
		}

		assertThat(estimator.cost()).isEqualTo(128 * KIB);
	}

	@Test
	void measuresTheNoiseBetweenTwoSamples() {
		ThroughputEstimator estimator = new ThroughputEstimator(128 * KIB);
		Random random = new Random(5);
		for (int i = 0; i < 64; i++) {
			estimator.add(sample(4, 50_000_000, 100, 128 * KIB, RATE * Math.exp(0.1 * random.nextGaussian())));
		}

		// Each sample's log rate has a variance of 0.01, so the ratio of two has 0.02.
		assertThat(estimator.noise()).isCloseTo(0.02, within(0.01));
	}

	@Test
	void takesAChangeOfThroughputOrOfLevelForNoNoise() {
		ThroughputEstimator estimator = new ThroughputEstimator(128 * KIB);
		for (int i = 0; i < 40; i++) {
			double rate = (i < 20) ? RATE : 2 * RATE;
			estimator.add(sample(4, 50_000_000, 100, 128 * KIB, rate));
			estimator.add(sample(8, 50_000_000, 100, 128 * KIB, 1.5 * rate));
		}

		assertThat(estimator.noise()).isLessThan(1e-6);
	}

	@Test
	void estimatesThePriorNoiseUntilItHasSamples() {
		ThroughputEstimator estimator = new ThroughputEstimator(128 * KIB);
		estimator.add(sample(4, 50_000_000, 100, 128 * KIB, RATE));
		estimator.add(sample(4, 50_000_000, 100, 128 * KIB, 2 * RATE));

		assertThat(estimator.noise()).isCloseTo(0.01, within(1e-12));
	}

	private static Sample sample(int level, long bytes, long files, long fileCost, double rate) {
		return new Sample(level, bytes, files, (bytes + (double) files * fileCost) / rate);
	}

}
