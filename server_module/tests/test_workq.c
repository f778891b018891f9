/*
 * Unit tests of the work queue (mp_workq.c): one serialization domain runs
 * its jobs one at a time and in order, different domains run in parallel,
 * completions run on the event loop thread, a domain freed while its jobs
 * are queued is safe, and a forked child gets a working queue of its own.
 */
#include "../includes_samba.h"
#include "../mapiproxy_private.h"
#include "oc_test.h"

#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* one event loop for the process, as in Samba: the queue binds to it */
static struct tevent_context *the_ev;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct rec {
	int id;
	unsigned sleep_ms;
	double start, end;
	bool done_on_loop;
	int *done_count;
	int *order;	/* shared array of ids in completion order */
	int *norder;
	pthread_mutex_t *mu;
};

static void rec_run(void *p)
{
	struct rec *r = p;
	struct timespec ts = { r->sleep_ms / 1000, (r->sleep_ms % 1000) * 1000000L };

	r->start = now_ms();
	nanosleep(&ts, NULL);
	pthread_mutex_lock(r->mu);
	r->order[(*r->norder)++] = r->id;
	pthread_mutex_unlock(r->mu);
	r->end = now_ms();
}

static void rec_done(void *p)
{
	struct rec *r = p;

	r->done_on_loop = mp_on_loop_thread();
	(*r->done_count)++;
}

static void run_until(struct tevent_context *ev, int *count, int want)
{
	double deadline = now_ms() + 10000;

	while (*count < want && now_ms() < deadline) {
		tevent_loop_once(ev);
	}
}

static void test_order_and_parallelism(void **state)
{
	TALLOC_CTX *root = *state;
	struct tevent_context *ev = the_ev;
	struct mp_workq *wq;
	struct mp_serial *a, *b;
	struct rec *r;
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int order[8], norder = 0, done = 0, i;
	double t0;

	assert_non_null(ev);
	wq = mp_workq_get(ev, 4);
	assert_non_null(wq);
	a = mp_serial_new(root);
	b = mp_serial_new(root);
	r = talloc_zero_array(root, struct rec, 4);
	for (i = 0; i < 4; i++) {
		r[i].id = i;
		r[i].sleep_ms = 150;
		r[i].done_count = &done;
		r[i].order = order;
		r[i].norder = &norder;
		r[i].mu = &mu;
	}
	t0 = now_ms();
	/* a: 0 then 1 then 2 ; b: 3 */
	assert_true(mp_workq_submit(wq, a, r, rec_run, rec_done, &r[0]));
	assert_true(mp_workq_submit(wq, a, r, rec_run, rec_done, &r[1]));
	assert_true(mp_workq_submit(wq, a, r, rec_run, rec_done, &r[2]));
	assert_true(mp_workq_submit(wq, b, r, rec_run, rec_done, &r[3]));
	run_until(ev, &done, 4);
	assert_int_equal(done, 4);

	/* one domain: strictly one after the other, in order */
	assert_true(r[1].start >= r[0].end);
	assert_true(r[2].start >= r[1].end);
	/* other domain: overlapped with the first job of a */
	assert_true(r[3].start < r[0].end);
	assert_true(r[0].start < r[3].end);
	/* ~3 x 150 ms for a, not 4 x 150 ms */
	assert_true(now_ms() - t0 < 4 * 150 - 50);
	for (i = 0; i < 4; i++) {
		assert_true(r[i].done_on_loop);
	}
	talloc_free(r);
	talloc_free(a);
	talloc_free(b);
}

static void test_serial_freed_while_queued(void **state)
{
	TALLOC_CTX *root = *state;
	struct tevent_context *ev = the_ev;
	struct mp_workq *wq = mp_workq_get(ev, 2);
	struct mp_serial *a = mp_serial_new(root);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct rec *r = talloc_zero_array(root, struct rec, 3);
	int order[4], norder = 0, done = 0, i;

	assert_non_null(wq);
	for (i = 0; i < 3; i++) {
		r[i] = (struct rec){ .id = i, .sleep_ms = 30, .done_count = &done,
				     .order = order, .norder = &norder, .mu = &mu };
		assert_true(mp_workq_submit(wq, a, r, rec_run, rec_done, &r[i]));
	}
	talloc_free(a);		/* the connection went away */
	run_until(ev, &done, 3);
	assert_int_equal(done, 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	talloc_free(r);
}

struct loopcall {
	int calls;
	bool fn_on_loop;
	bool run_on_worker;
	char *copied;		/* allocated on the loop under the job's ctx */
	TALLOC_CTX *mem_ctx;
	int done;
};

static void loopcall_fn(void *p)
{
	struct loopcall *lc = p;

	lc->fn_on_loop = mp_on_loop_thread();
	lc->calls++;
	lc->copied = talloc_asprintf(lc->mem_ctx, "from the loop %d", lc->calls);
}

static void loopcall_run(void *p)
{
	struct loopcall *lc = p;
	int i;

	lc->run_on_worker = !mp_on_loop_thread();
	for (i = 0; i < 50; i++) {
		mp_loop_call(loopcall_fn, lc);
	}
}

static void loopcall_done(void *p)
{
	((struct loopcall *)p)->done++;
}

static void test_loop_call(void **state)
{
	TALLOC_CTX *root = *state;
	struct mp_workq *wq = mp_workq_get(the_ev, 2);
	struct mp_serial *s = mp_serial_new(root);
	struct loopcall *lc = talloc_zero(root, struct loopcall);

	assert_non_null(wq);
	lc->mem_ctx = talloc_new(lc);
	assert_true(mp_workq_submit(wq, s, root, loopcall_run, loopcall_done, lc));
	run_until(the_ev, &lc->done, 1);
	assert_int_equal(lc->done, 1);
	assert_true(lc->run_on_worker);
	assert_true(lc->fn_on_loop);
	assert_int_equal(lc->calls, 50);
	assert_string_equal(lc->copied, "from the loop 50");
	/* on the loop itself it is a plain call */
	mp_loop_call(loopcall_fn, lc);
	assert_int_equal(lc->calls, 51);
	talloc_free(lc);
	talloc_free(s);
}

static void test_queue_after_fork(void **state)
{
	pid_t pid = fork();
	int status = -1;

	assert_true(pid >= 0);
	if (pid == 0) {
		/* the parent's threads are gone here: a new queue must work */
		struct tevent_context *ev = tevent_context_init(NULL);
		struct mp_workq *wq = mp_workq_get(ev, 1);
		struct mp_serial *s = mp_serial_new(ev);
		pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
		int order[1], norder = 0, done = 0;
		struct rec r = { .id = 7, .sleep_ms = 1, .done_count = &done,
				 .order = order, .norder = &norder, .mu = &mu };

		if (wq == NULL || s == NULL ||
		    !mp_workq_submit(wq, s, ev, rec_run, rec_done, &r)) {
			_exit(2);
		}
		run_until(ev, &done, 1);
		_exit(done == 1 && order[0] == 7 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	int ret;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_and_parallelism,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_serial_freed_while_queued,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_loop_call,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_queue_after_fork,
						oc_test_setup, oc_test_teardown),
	};

	the_ev = tevent_context_init(NULL);
	if (the_ev == NULL) {
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	/* the queue's threads live until exit, like in Samba's worker */
	return ret;
}
