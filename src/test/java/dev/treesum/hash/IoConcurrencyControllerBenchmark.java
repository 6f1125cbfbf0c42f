package dev.treesum.hash;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import dev.treesum.hash.SimulatedDevice.Curve;
import org.junit.jupiter.api.Test;

/**
 * Prints, for each simulated device, the window the adaptive controller settled on and
 * the throughput it read at, side by side with its peers, fixed windows of 1, 2, 4 and 8
 * files on the same device and seed, over the same time: medians over several seeds, and
 * the adaptive one's worst. Simulated, so it takes seconds; run with
 * {@code ./mvnw test -Dtest=IoConcurrencyControllerBenchmark}.
 */
class IoConcurrencyControllerBenchmark {

	private static final double PEAK = 200e6;

	private static final int SEEDS = 5;

	private static final int[] FIXED = { 1, 2, 4, 8 };

	@Test
	void adaptiveAgainstFixedWindowsOnSimulatedDevices() {
		System.out.printf(Locale.ROOT,
				"%nAdaptive I/O concurrency against fixed windows on simulated devices, "
						+ "%d seeds each, MB/s of file content read (median; auto also worst), after the adaptive one "
						+ "settled in its band (median and worst seconds); window: levels chosen after that%n",
				SEEDS);
		System.out.printf(Locale.ROOT, "%-40s %5s %-6s %8s %9s %7s %7s %7s %7s %7s %7s%n", "device", "start", "band",
				"window", "settled", "auto", "worst", "fixed1", "fixed2", "fixed4", "fixed8");
		Scenario.of("rises to 6, then flat", Curve.peakAt(6, PEAK), 1, 120, 5, 8).print();
		Scenario.of("rises to 6, then flat", Curve.peakAt(6, PEAK), 4, 120, 5, 8).print();
		Scenario.of("rises to 6, then flat, noise 0.25", Curve.peakAt(6, PEAK), 1, 120, 5, 8).noise(0.25).print();
		Scenario.of("rises to 6, then flat, noise 0.4", Curve.peakAt(6, PEAK), 4, 120, 5, 8).noise(0.4).print();
		Scenario.of("rises to 6, noise 0.25, completions only", Curve.peakAt(6, PEAK), 4, 120, 5, 8)
			.noise(0.25)
			.setting(SimulatedDevice::completionsOnly)
			.print();
		Scenario.of("rises to 24, then flat", Curve.peakAt(24, PEAK), 4, 120, 20, 32).print();
		Scenario.of("spinning, -15 % per file", Curve.spinning(PEAK, 0.15), 4, 120, 1, 2).print();
		Scenario.of("spinning, -15 % per file, noise 0.25", Curve.spinning(PEAK, 0.15), 4, 120, 1, 2)
			.noise(0.25)
			.print();
		Scenario.of("flat (hashing bound), noise 0.25", Curve.flat(PEAK), 4, 120, 1, 2).noise(0.25).print();
		Scenario.of("rises to 3, then falls, noise 0.15", Curve.peakThenFalling(3, PEAK, 0.1), 8, 120, 2, 4)
			.noise(0.15)
			.print();
		Scenario.of("rises to 8, reader keeps 2 in flight", Curve.peakAt(8, PEAK), 4, 120, 1, 3)
			.noise(0.25)
			.setting((device) -> device.readerLimit(2))
			.print();
		Curve changing = Curve.peakAt(8, PEAK)
			.then(60, Curve.peakThenFalling(2, PEAK / 2, 0.1))
			.then(120, Curve.peakAt(8, PEAK));
		Scenario.of("8; contention 60-120 s: 2, then falls", changing, 4, 60, 6, 10).noise(0.15).print();
		Scenario.of("  contention from 60 s", changing, 4, 120, 1, 3).noise(0.15).from(60).print();
		Scenario.of("  contention gone from 120 s", changing, 4, 180, 6, 10).noise(0.15).from(120).print();
	}

	private record Scenario(String name, Curve curve, int start, double from, double to, int low, int high,
			double noise, UnaryOperator<SimulatedDevice> setting) {

		static Scenario of(String name, Curve curve, int start, double seconds, int low, int high) {
			return new Scenario(name, curve, start, 0, seconds, low, high, 0, UnaryOperator.identity());
		}

		Scenario noise(double sigma) {
			return new Scenario(this.name, this.curve, this.start, this.from, this.to, this.low, this.high, sigma,
					this.setting);
		}

		Scenario setting(UnaryOperator<SimulatedDevice> setting) {
			return new Scenario(this.name, this.curve, this.start, this.from, this.to, this.low, this.high, this.noise,
					setting);
		}

		Scenario from(double seconds) {
			return new Scenario(this.name, this.curve, this.start, seconds, this.to, this.low, this.high, this.noise,
					this.setting);
		}

		void print() {
			IntPredicate band = (n) -> n >= this.low && n <= this.high;
			double[] auto = new double[SEEDS];
			double[][] fixed = new double[FIXED.length][SEEDS];
			double[] settled = new double[SEEDS];
			int chosenMin = Integer.MAX_VALUE;
			int chosenMax = 0;
			for (int seed = 0; seed < SEEDS; seed++) {
				SimulatedDevice.Trace trace = run(seed, (clock) -> IoConcurrencyController.adaptive(this.start, 1, 32,
						IoConcurrencyController.Tuning.DEFAULTS, clock));
				settled[seed] = trace.settledIn(band, this.to) - this.from;
				double steady = Math.min(this.to - 1, this.from + Math.max(0, settled[seed]));
				auto[seed] = trace.bytesPerSecond(steady, this.to) / 1e6;
				chosenMin = Math.min(chosenMin, trace.chosen(steady, this.to).getMin());
				chosenMax = Math.max(chosenMax, trace.chosen(steady, this.to).getMax());
				for (int i = 0; i < FIXED.length; i++) {
					int level = FIXED[i];
					fixed[i][seed] = run(seed, (clock) -> IoConcurrencyController.fixed(level)).bytesPerSecond(steady,
							this.to) / 1e6;
				}
			}
			System.out.printf(Locale.ROOT, "%-40s %5d %-6s %8s %4.1f %4.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f%n",
					this.name, this.start, this.low + ".." + this.high, chosenMin + ".." + chosenMax, median(settled),
					max(settled), median(auto), min(auto), median(fixed[0]), median(fixed[1]), median(fixed[2]),
					median(fixed[3]));
		}

		private SimulatedDevice.Trace run(long seed, Function<LongSupplier, IoConcurrencyController> controller) {
			SimulatedDevice device = this.setting.apply(new SimulatedDevice(this.curve, seed).noise(this.noise));
			return device.run(controller.apply(device::nanoTime), this.to);
		}

	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
	}

	private static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	private static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

}
