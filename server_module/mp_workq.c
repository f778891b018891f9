/*
 * Worker threads for mapiproxy operations.
 *
 * Why: Samba serves every interface that uses context handles from one
 * process (prefork worker 0), on one event loop shared with the DC's own
 * epmapper, lsarpc, samr, netlogon... (../shared/SAMBA.md, "Processes").
 * An EMSMDB or NSPI call that waits on SQL, IMAP or the disk must not stall
 * them, so every operation is run here, on a worker thread, and its reply is
 * sent from the event loop when it completes.
 *
 * Ordering: jobs carry an mp_serial; jobs of one serial run one at a time in
 * submission order (one session's calls never overlap), jobs of different
 * serials run in parallel on up to n threads.
 *
 * Memory: the queue and the per-serial state cross threads, so they are
 * malloc'd and guarded by one mutex; talloc memory is only ever touched by
 * the thread that owns it (see struct mp_call). Completion goes back to the
 * loop through tevent_threaded_schedule_immediate(); the immediate is
 * allocated on the loop before the hand-off, as tevent requires.
 *
 * Fork: Samba's prefork master loads the module and forks workers; threads
 * do not survive fork, so the queue is created lazily, per process, on the
 * first call, and recreated if the pid changed.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <errno.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct mp_serial_state {
	struct mp_job *head, *tail;	/* waiting behind the running one */
	bool busy;			/* a job of this serial is ready/running */
	unsigned refs;			/* the talloc owner + queued jobs */
};

struct mp_serial {
	struct mp_serial_state *st;
	struct mp_workq *wq;
};

struct mp_job {
	struct mp_job *next;
	struct mp_workq *wq;
	struct mp_serial_state *serial;
	struct tevent_immediate *im;
	mp_job_run_fn run;
	mp_job_done_fn done;
	void *private_data;
};

/* a closure a worker thread asks the loop to run (mp_loop_call) */
struct mp_loop_req {
	struct mp_loop_req *next;
	void (*fn)(void *arg);
	void *arg;
	bool done;
};

struct mp_workq {
	pid_t pid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct mp_job *ready_head, *ready_tail;
	/* mp_loop_call: requests, the eventfd that wakes the loop for them,
	 * and the condition their workers wait on */
	struct mp_loop_req *loop_head, *loop_tail;
	int loop_fd;
	struct tevent_fd *loop_fde;
	pthread_cond_t loop_cv;
	struct tevent_context *ev;
	struct tevent_threaded_context *tctx;
	unsigned n_threads;
};

static struct mp_workq *mp_the_workq;

/* drop one reference; mu held */
static void mp_serial_state_unref(struct mp_serial_state *st)
{
	if (--st->refs == 0) {
		free(st);
	}
}

static int mp_serial_destructor(struct mp_serial *s)
{
	if (s->wq == NULL) {
		free(s->st);
		return 0;
	}
	pthread_mutex_lock(&s->wq->mu);
	mp_serial_state_unref(s->st);
	pthread_mutex_unlock(&s->wq->mu);
	return 0;
}

struct mp_serial *mp_serial_new(TALLOC_CTX *mem_ctx)
{
	struct mp_serial *s = talloc_zero(mem_ctx, struct mp_serial);

	if (s == NULL) {
		return NULL;
	}
	s->st = calloc(1, sizeof(*s->st));
	if (s->st == NULL) {
		talloc_free(s);
		return NULL;
	}
	s->st->refs = 1;
	talloc_set_destructor(s, mp_serial_destructor);
	return s;
}

/* append to the ready list and wake a thread; mu held */
static void mp_workq_make_ready(struct mp_workq *wq, struct mp_job *job)
{
	job->next = NULL;
	if (wq->ready_tail != NULL) {
		wq->ready_tail->next = job;
	} else {
		wq->ready_head = job;
	}
	wq->ready_tail = job;
	pthread_cond_signal(&wq->cv);
}

static void mp_job_completed(struct tevent_context *ev,
			     struct tevent_immediate *im, void *private_data)
{
	struct mp_job *job = private_data;
	mp_job_done_fn done = job->done;
	void *done_data = job->private_data;

	/* tevent allows freeing an immediate from its own handler */
	talloc_free(job);
	mp_log_flush();
	done(done_data);
}

static void *mp_worker_main(void *arg)
{
	struct mp_workq *wq = arg;

	mp_log_mark_worker_thread();
	for (;;) {
		struct mp_job *job;
		struct mp_serial_state *st;

		pthread_mutex_lock(&wq->mu);
		while (wq->ready_head == NULL) {
			pthread_cond_wait(&wq->cv, &wq->mu);
		}
		job = wq->ready_head;
		wq->ready_head = job->next;
		if (wq->ready_head == NULL) {
			wq->ready_tail = NULL;
		}
		pthread_mutex_unlock(&wq->mu);

		job->run(job->private_data);

		pthread_mutex_lock(&wq->mu);
		st = job->serial;
		if (st->head != NULL) {
			struct mp_job *next = st->head;

			st->head = next->next;
			if (st->head == NULL) {
				st->tail = NULL;
			}
			mp_workq_make_ready(wq, next);
		} else {
			st->busy = false;
		}
		mp_serial_state_unref(st);
		pthread_mutex_unlock(&wq->mu);

		/* ownership of job passes to the loop here */
		tevent_threaded_schedule_immediate(wq->tctx, job->im,
						   mp_job_completed, job);
	}
	return NULL;
}

static void mp_loop_fd_handler(struct tevent_context *ev,
			       struct tevent_fd *fde, uint16_t flags,
			       void *private_data)
{
	struct mp_workq *wq = private_data;
	struct mp_loop_req *list, *next;
	uint64_t count;

	if (read(wq->loop_fd, &count, sizeof(count)) < 0 && errno != EAGAIN) {
		mp_log(MP_LOG_ERR, "loop eventfd read failed: %s",
		       strerror(errno));
	}
	pthread_mutex_lock(&wq->mu);
	list = wq->loop_head;
	wq->loop_head = wq->loop_tail = NULL;
	pthread_mutex_unlock(&wq->mu);

	for (; list != NULL; list = next) {
		next = list->next;	/* list is gone once done is set */
		list->fn(list->arg);
		pthread_mutex_lock(&wq->mu);
		list->done = true;
		pthread_cond_broadcast(&wq->loop_cv);
		pthread_mutex_unlock(&wq->mu);
	}
	mp_log_flush();
}

void mp_loop_call(void (*fn)(void *arg), void *arg)
{
	struct mp_workq *wq = mp_the_workq;
	struct mp_loop_req req = { .fn = fn, .arg = arg };
	uint64_t one = 1;

	if (mp_on_loop_thread() || wq == NULL) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&wq->mu);
	if (wq->loop_tail != NULL) {
		wq->loop_tail->next = &req;
	} else {
		wq->loop_head = &req;
	}
	wq->loop_tail = &req;
	pthread_mutex_unlock(&wq->mu);

	while (write(wq->loop_fd, &one, sizeof(one)) < 0 && errno == EINTR) {
		/* retry */
	}
	pthread_mutex_lock(&wq->mu);
	while (!req.done) {
		pthread_cond_wait(&wq->loop_cv, &wq->mu);
	}
	pthread_mutex_unlock(&wq->mu);
}

static struct mp_workq *mp_workq_create(struct tevent_context *ev,
					unsigned n_threads)
{
	struct mp_workq *wq = calloc(1, sizeof(*wq));
	sigset_t all, old;
	unsigned i, started = 0;

	if (wq == NULL) {
		return NULL;
	}
	wq->pid = getpid();
	wq->ev = ev;
	wq->n_threads = n_threads;
	pthread_mutex_init(&wq->mu, NULL);
	pthread_cond_init(&wq->cv, NULL);
	pthread_cond_init(&wq->loop_cv, NULL);
	/* lives as long as the process's event context */
	wq->tctx = tevent_threaded_context_create(ev, ev);
	wq->loop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (wq->loop_fd != -1 && wq->tctx != NULL) {
		wq->loop_fde = tevent_add_fd(ev, ev, wq->loop_fd, TEVENT_FD_READ,
					     mp_loop_fd_handler, wq);
	}
	if (wq->tctx == NULL || wq->loop_fde == NULL) {
		mp_log(MP_LOG_ERR, "cannot link worker threads to the event "
		       "loop (%s); operations will run on the event loop",
		       strerror(errno));
		TALLOC_FREE(wq->tctx);
		if (wq->loop_fd != -1) {
			close(wq->loop_fd);
		}
		free(wq);
		return NULL;
	}

	/* workers must never take Samba's signals */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < n_threads; i++) {
		pthread_t t;
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, mp_worker_main, wq) == 0) {
			started++;
		}
		pthread_attr_destroy(&attr);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (started == 0) {
		mp_log(MP_LOG_ERR, "could not start any worker thread; "
		       "operations will run on the event loop");
		TALLOC_FREE(wq->tctx);
		TALLOC_FREE(wq->loop_fde);
		close(wq->loop_fd);
		free(wq);
		return NULL;
	}
	mp_log(MP_LOG_NOTICE, "work queue started in pid %d with %u threads",
	       (int)wq->pid, started);
	return wq;
}

struct mp_workq *mp_workq_get(struct tevent_context *ev, unsigned n_threads)
{
	static pid_t failed_pid;

	if (mp_the_workq != NULL && mp_the_workq->pid == getpid()) {
		if (mp_the_workq->ev != ev) {
			return NULL;	/* a second event context: run inline */
		}
		return mp_the_workq;
	}
	if (failed_pid == getpid()) {
		return NULL;
	}
	/* a queue inherited over fork has no threads: leave it, make ours */
	mp_the_workq = mp_workq_create(ev, n_threads);
	if (mp_the_workq == NULL) {
		failed_pid = getpid();
	}
	return mp_the_workq;
}

bool mp_workq_submit(struct mp_workq *wq, struct mp_serial *serial,
		     TALLOC_CTX *job_ctx, mp_job_run_fn run, mp_job_done_fn done,
		     void *private_data)
{
	struct mp_job *job = talloc_zero(job_ctx, struct mp_job);
	struct mp_serial_state *st = serial->st;

	if (job == NULL) {
		return false;
	}
	job->im = tevent_create_immediate(job);
	if (job->im == NULL) {
		talloc_free(job);
		return false;
	}
	job->wq = wq;
	job->run = run;
	job->done = done;
	job->private_data = private_data;
	job->serial = st;

	pthread_mutex_lock(&wq->mu);
	if (serial->wq == NULL) {
		serial->wq = wq;
	}
	st->refs++;
	if (st->busy) {
		job->next = NULL;
		if (st->tail != NULL) {
			st->tail->next = job;
		} else {
			st->head = job;
		}
		st->tail = job;
	} else {
		st->busy = true;
		mp_workq_make_ready(wq, job);
	}
	pthread_mutex_unlock(&wq->mu);
	return true;
}
