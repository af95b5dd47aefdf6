/*
 * jobs.h — background workers over the durable job queue (store_media.h: jobs table).
 *
 * A job is claimed with one UPDATE … RETURNING (queued and due, or running with an expired
 * lease), so several threads or processes share a queue and a job whose worker died is
 * taken again once its lease (JOBS_LEASE seconds) runs out. A failed job is retried with
 * a growing delay (30 s, 60 s, 120 s, …) up to JOBS_MAX_ATTEMPTS, then left as 'failed';
 * a job that can never succeed (undecodable image) fails at once.
 *
 * Kinds: "thumbnails" (payload: a stored_files id) → media_thumbnails_make();
 * "compress_video" (payload: a stored_files id) → media_video_compress(), whose lease is
 * first extended to MEDIA_VIDEO_TIMEOUT + 60 s because ffmpeg may run that long;
 * "notification" (payload: a notifications id) → notify_deliver(), an e-mail by SMTP;
 * "listing_publish" / "listing_purge" → listings_run_job(): a scheduled listing goes
 * public at its run time, a deleted listing's row is removed (core/listings.h).
 *
 * jobs_start() runs `workers` threads and sets core->jobs_wake so that a commit that
 * queues a job wakes one at once (they also poll every second). jobs_stop() lets each
 * worker finish the job it is running, then joins them: queued jobs stay queued for the
 * next start. libvips must be initialised before (main.c: VIPS_INIT).
 */
#ifndef RENTD_JOBS_H
#define RENTD_JOBS_H

#include "core/core.h"

#define JOBS_LEASE 300
#define JOBS_MAX_ATTEMPTS 5

struct jobs;

struct jobs *jobs_start(struct core *c, unsigned workers);
void jobs_stop(struct jobs *j);

/* Runs one due job on the calling thread: 1 ran one (done or not), 0 none due, -1 queue error. */
int jobs_run_one(struct core *c);

#endif
