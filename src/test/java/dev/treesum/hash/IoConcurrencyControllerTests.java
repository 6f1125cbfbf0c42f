package dev.treesum.hash;

import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.treesum.hash.SimulatedDevice.Curve;
import dev.treesum.hash.SimulatedDevice.Trace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The adaptive controller on simulated devices whose throughput is a known function of
 * the files in flight, on the simulation's clock: it widens its window step by step while
 * throughput grows and backs off when it stops growing, stays at one file on a spinning
 * disk it starts on, holds still under noise, follows a device whose load changes, keeps
 * to its bounds, and decides the same on the same device every time; a fixed controller
 * never moves.
 */
class IoConcurrencyControllerTests {

	private static final double PEAK = 200e6;

	private static final long SEED = 7;

	@Test
	void climbsToTheKneeOfACurveThatRisesThenFlattens() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(6, PEAK), SEED), 1, 1, 32, 60);

		assertThat(run.trace.settledIn((n) -> n >= 5 && n <= 8, 60)).isLessThan(20);
		assertThat(run.trace.chosen(20, 60)).satisfies(within(5, 8));
		assertThat(run.trace.efficiency(20, 60)).isGreaterThan(0.9);
	}

	@Test
	void growsTheWindowStepByStepWhileThroughputGrows() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(16, PEAK), SEED), 1, 1, 32, 30);

		List<Integer> climb = run.trace.chosenLevels(0, run.trace.settledIn((n) -> n >= 13, 30));
		assertThat(climb).isSorted().startsWith(1, 2, 3, 4).contains(8).doesNotHaveDuplicates();
		assertThat(run.trace.settledIn((n) -> n >= 13 && n <= 20, 30)).isLessThan(25);
	}

	@Test
	void staysAtOneOnASpinningDiskWhenItStartsThere() {
		Run run = simulate(new SimulatedDevice(Curve.spinning(PEAK, 0.15), SEED), 1, 1, 32, 60);

		assertThat(run.trace.chosen(0, 60)).satisfies(within(1, 1));
		assertThat(run.trace.limits(0, 60)).satisfies(within(1, 2));
		assertThat(run.controller.changes()).isZero();
		assertThat(run.trace.efficiency(0, 60)).isGreaterThan(0.9);
	}

	@Test
	void backsOffToOneOrTwoOnASpinningDiskEvenFromTheFlashStart() {
		Run run = simulate(new SimulatedDevice(Curve.spinning(PEAK, 0.15), SEED), 4, 1, 32, 60);

		assertThat(run.trace.settledIn((n) -> n <= 2, 60)).isLessThan(15);
		assertThat(run.trace.chosen(15, 60)).satisfies(within(1, 2));
		assertThat(run.trace.limits(15, 60).getMax()).isLessThanOrEqualTo(3);
		assertThat(run.controller.highest()).isEqualTo(4);
		assertThat(run.trace.efficiency(15, 60)).isGreaterThan(0.9);
	}

	@Test
	void comesDownWhenMoreFilesInFlightBuyNothing() {
		Run run = simulate(new SimulatedDevice(Curve.flat(PEAK), SEED), 4, 1, 32, 60);

		assertThat(run.trace.settledIn((n) -> n <= 2, 60)).isLessThan(30);
		assertThat(run.controller.highest()).isEqualTo(4);
	}

	@Test
	void settlesNearThePeakOfACurveThatRisesThenFalls() {
		Run run = simulate(new SimulatedDevice(Curve.peakThenFalling(3, PEAK, 0.1), SEED), 8, 1, 32, 60);

		assertThat(run.trace.settledIn((n) -> n >= 2 && n <= 4, 60)).isLessThan(20);
		assertThat(run.trace.efficiency(20, 60)).isGreaterThan(0.9);
	}

	@Test
	void convergesAndHoldsStillDespiteNoisyThroughput() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(6, PEAK), SEED).noise(0.25), 1, 1, 32, 120);

		assertThat(run.trace.settledIn((n) -> n >= 4 && n <= 10, 120)).isLessThan(30);
		IntSummaryStatistics steady = run.trace.chosen(30, 120);
		assertThat(steady.getMax() - steady.getMin()).isLessThanOrEqualTo(4);
		assertThat(run.trace.changes(30, 120)).isLessThanOrEqualTo(6);
		assertThat(run.trace.efficiency(30, 120)).isGreaterThan(0.9);
	}

	@Test
	void backsOffWhenContentionAppearsAndClimbsAgainWhenItGoes() {
		Curve changing = Curve.peakAt(8, PEAK)
			.then(60, Curve.peakThenFalling(2, PEAK / 2, 0.1))
			.then(120, Curve.peakAt(8, PEAK));
		Run run = simulate(new SimulatedDevice(changing, SEED).noise(0.15), 4, 1, 32, 180);

		assertThat(run.trace.chosen(50, 60)).satisfies(within(6, 10));
		assertThat(run.trace.settledIn((n) -> n <= 3, 120)).isLessThan(60 + 30);
		assertThat(run.trace.settledIn((n) -> n >= 6 && n <= 10, 180)).isLessThan(120 + 30);
		assertThat(run.trace.efficiency(60, 120)).isGreaterThan(0.8);
		assertThat(run.trace.efficiency(120, 180)).isGreaterThan(0.8);
	}

	@Test
	void climbsToTheMaximumAndNeverPassesIt() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(64, PEAK), SEED), 4, 1, 12, 60);

		assertThat(run.trace.settledIn((n) -> n == 12, 60)).isLessThan(30);
		assertThat(run.trace.limits(0, 60).getMax()).isEqualTo(12);
	}

	@Test
	void neverGoesBelowTheMinimum() {
		Run run = simulate(new SimulatedDevice(Curve.spinning(PEAK, 0.15), SEED), 4, 2, 32, 60);

		assertThat(run.trace.settledIn((n) -> n == 2, 60)).isLessThan(20);
		assertThat(run.trace.limits(0, 60).getMin()).isEqualTo(2);
	}

	@Test
	void doesNotCountOnMoreFilesThanTheReaderKeepsInFlight() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(8, PEAK), SEED).noise(0.25).readerLimit(2), 2, 1, 32, 60);

		assertThat(run.controller.highest()).isEqualTo(2);
	}

	@Test
	void fixedControllerNeverChanges() {
		SimulatedDevice device = new SimulatedDevice(Curve.peakAt(8, PEAK), SEED).noise(0.25);
		IoConcurrencyController controller = IoConcurrencyController.fixed(3);

		Trace trace = device.run(controller, 60);

		assertThat(controller.fixed()).isTrue();
		assertThat(trace.limits(0, 60)).satisfies(within(3, 3));
		assertThat(trace.chosen(0, 60)).satisfies(within(3, 3));
		assertThat(controller.changes()).isZero();
		assertThat(controller.describe()).isEqualTo("fixed: 3");
	}

	@Test
	void decidesTheSameOnTheSameDeviceWhateverTheWallClock() {
		Run first = simulate(new SimulatedDevice(Curve.peakAt(6, PEAK), SEED).noise(0.25), 1, 1, 32, 30);
		Run second = simulate(new SimulatedDevice(Curve.peakAt(6, PEAK), SEED).noise(0.25), 1, 1, 32, 30);

		assertThat(first.trace.timeline()).hasSizeGreaterThan(10).isEqualTo(second.trace.timeline());
		assertThat(first.controller.describe()).isEqualTo(second.controller.describe());
	}

	@Test
	void describesWhereItStartedAndWhatItChose() {
		Run run = simulate(new SimulatedDevice(Curve.peakAt(6, PEAK), SEED), 1, 1, 32, 60);

		assertThat(run.controller.fixed()).isFalse();
		assertThat(run.controller.describe()).matches("auto: " + run.controller.chosen() + " \\(started at 1, highest "
				+ run.controller.highest() + ", " + run.controller.changes() + " changes?; at "
				+ run.controller.chosen() + ": \\d+ files/s, \\d+\\.\\d MB/s\\)");
	}

	@Test
	void aFullControllerMakesReadersWaitForASlot() throws Exception {
		IoConcurrencyController controller = IoConcurrencyController.fixed(1);
		controller.acquire();
		CountDownLatch acquired = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread reader = new Thread(() -> {
			try {
				controller.acquire();
				acquired.countDown();
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		reader.start();

		assertThat(acquired.await(200, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(controller.tryAcquire()).isFalse();
		controller.completed(100);
		assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
		reader.join(10_000);
		assertThat(failure.get()).isNull();
		assertThat(controller.tryAcquire()).isFalse();
	}

	@Test
	void refusesBoundsThatContradictEachOther() {
		assertThatIllegalArgumentException().isThrownBy(() -> IoConcurrencyController.adaptive(0, 1, 4));
		assertThatIllegalArgumentException().isThrownBy(() -> IoConcurrencyController.adaptive(5, 1, 4));
		assertThatIllegalArgumentException().isThrownBy(() -> IoConcurrencyController.adaptive(2, 3, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> IoConcurrencyController.fixed(0));
	}

	@Test
	void refusesACompletionWithoutAFileInFlight() {
		IoConcurrencyController controller = IoConcurrencyController.adaptive(2, 1, 4);

		assertThatIllegalStateException().isThrownBy(() -> controller.completed(0));
	}

	private static Run simulate(SimulatedDevice device, int start, int min, int max, double seconds) {
		IoConcurrencyController controller = IoConcurrencyController.adaptive(start, min, max,
				IoConcurrencyController.Tuning.DEFAULTS, device::nanoTime);
		Trace trace = device.levels(max).run(controller, seconds);
		return new Run(controller, trace);
	}

	private static Consumer<IntSummaryStatistics> within(int low, int high) {
		return (levels) -> {
			assertThat(levels.getMin()).as("lowest level").isGreaterThanOrEqualTo(low);
			assertThat(levels.getMax()).as("highest level").isLessThanOrEqualTo(high);
		};
	}

	private record Run(IoConcurrencyController controller, Trace trace) {
	}

}
