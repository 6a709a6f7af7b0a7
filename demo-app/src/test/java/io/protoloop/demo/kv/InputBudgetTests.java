package io.protoloop.demo.kv;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The input budget alone: the shares holding the most are revoked, each once, until the total is back under. */
@Timeout(30)
class InputBudgetTests {

	private final List<String> revoked = new ArrayList<>();

	private final InputBudget budget = new InputBudget(1000);

	@Test
	void withinTheLimitNothingIsRevoked() {
		InputBudget.Share a = share("a");
		InputBudget.Share b = share("b");
		a.hold(600);
		b.hold(400);
		assertThat(this.budget.total()).isEqualTo(1000);
		a.hold(100);
		assertThat(this.budget.total()).isEqualTo(500);
		assertThat(this.revoked).isEmpty();
	}

	@Test
	void pastTheLimitTheLargestSharesAreRevokedUntilTheTotalIsUnder() {
		InputBudget.Share a = share("a");
		InputBudget.Share b = share("b");
		InputBudget.Share c = share("c");
		a.hold(500);
		b.hold(300);
		c.hold(250);
		assertThat(this.revoked).containsExactly("a");
		assertThat(this.budget.total()).isEqualTo(550);
		a.hold(900);
		assertThat(this.budget.total()).as("a revoked share counts no more").isEqualTo(550);
		c.hold(800);
		assertThat(this.revoked).containsExactly("a", "c");
		assertThat(this.budget.total()).isEqualTo(300);
	}

	@Test
	void aClosedShareGivesBackWhatItHeld() {
		InputBudget.Share a = share("a");
		a.hold(700);
		a.close();
		a.close();
		assertThat(this.budget.total()).isZero();
		share("b").hold(1000);
		assertThat(this.revoked).isEmpty();
	}

	private InputBudget.Share share(String name) {
		return this.budget.open(() -> this.revoked.add(name));
	}

}
