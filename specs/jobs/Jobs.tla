-------------------------------- MODULE Jobs --------------------------------
(***************************************************************************)
(* A job queue with retries: the seeds' Experiment 01 beyond one lease.    *)
(*                                                                         *)
(* Workers claim runnable jobs; every claim opens an attempt with a higher *)
(* epoch and a lease.  An attempt runs the job's handler, which applies    *)
(* the job's external effect (a charge) through an idempotency boundary,   *)
(* and then completes the job.  A handler may fail instead: the job is     *)
(* retried while its budget of attempts lasts, then dead-lettered.  A      *)
(* worker may die at any moment; its lease then expires and the job must   *)
(* be reclaimed, or it stays claimed for ever.                             *)
(*                                                                         *)
(* The effect ledger, applied, records which attempt applied an effect for *)
(* which job.  Delivery is at-least-once: a retry after an expired lease   *)
(* runs the handler again, and only the idempotency key keeps its effect   *)
(* from landing twice.                                                     *)
(*                                                                         *)
(* Every guard a failure mode removes is a named operator with its         *)
(* "Incorrectly" twin beside it; a bug config overrides one, nothing else. *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Workers,    \* the worker processes
    Jobs,       \* job keys: the stable identity of each job and of its effect
    Budget,     \* the retry policy: attempts a job may have before it is dead-lettered
    MaxEpoch,   \* the bounded model's horizon: attempts per job, guard or not
    NoAttempt   \* a model value: the worker holds no attempt

ASSUME Budget \in Nat \ {0} /\ MaxEpoch \in Nat /\ Budget < MaxEpoch

VARIABLES
    status,     \* status[j]: "runnable", "claimed", "done" or "dead" (dead-lettered)
    epoch,      \* epoch[j]: attempts opened so far; the current attempt's fencing token
    lease,      \* lease[j]: "none", "live", or "expired" (the current claim's lease ran out)
    attempt,    \* attempt[w]: the attempt worker w believes it holds, and how far it got
    applied,    \* the effect ledger: [job, epoch] of every attempt whose effect landed
    lastAction  \* the step just taken and its arguments, for replaying traces

vars == <<status, epoch, lease, attempt, applied, lastAction>>

(* lastAction only labels the step; the safety configs fold it away.      *)
view == <<status, epoch, lease, attempt, applied>>

Statuses == {"runnable", "claimed", "done", "dead"}
Attempts == [job : Jobs, epoch : 1..MaxEpoch, phase : {"running", "applied"}]
Ledger == [job : Jobs, epoch : 1..MaxEpoch]
ActionNames == {"Init", "Claim", "Apply", "Complete", "Fail", "Crash", "ExpireLease", "RejectStale"}

NoArgs == [x \in {} |-> x]
Step(name, args) == lastAction' = [name |-> name, args |-> args]

TypeOK ==
    /\ status \in [Jobs -> Statuses]
    /\ epoch \in [Jobs -> 0..MaxEpoch]
    /\ lease \in [Jobs -> {"none", "live", "expired"}]
    /\ attempt \in [Workers -> Attempts \cup {NoAttempt}]
    /\ applied \subseteq Ledger
    /\ lastAction.name \in ActionNames

(* The effects that landed for job j, whichever attempt applied them.     *)
EffectsOf(j) == {e \in applied : e.job = j}

(* The attempt of worker w is the job's current one, and the job is held. *)
Current(w) ==
    /\ status[attempt[w].job] = "claimed"
    /\ epoch[attempt[w].job] = attempt[w].epoch

-----------------------------------------------------------------------------
(***************************************************************************)
(* The guards.  Each is the one place a bug variant changes.               *)
(***************************************************************************)

(* Whether worker w's effect already landed, asked by its idempotency key. *)
(* The key is the job's stable key, so a retry finds the first attempt's  *)
(* effect and does not apply it again.                                    *)
EffectLanded(w) == EffectsOf(attempt[w].job) # {}
IncorrectlyEffectLanded(w) ==           \* keyed by attempt: every retry is a new key
    [job |-> attempt[w].job, epoch |-> attempt[w].epoch] \in applied

(* Whether job j may have another attempt after its attempt e: the retry  *)
(* budget.                                                                *)
RetryBudget(j, e) == e < Budget
IncorrectlyRetryBudget(j, e) == TRUE    \* retry for ever (up to the model's horizon)

(* What an expired lease leaves behind: the job is reclaimable again, or  *)
(* dead-lettered once its budget is spent.                                *)
AfterExpiry(j) == IF RetryBudget(j, epoch[j]) THEN "runnable" ELSE "dead"
IncorrectlyAfterExpiry(j) == "claimed"  \* nothing reclaims it

(* Whether the store takes worker w's report that its handler failed: only *)
(* from the attempt that holds the job, like every other write.           *)
FailFence(w) == Current(w)
IncorrectlyFailFence(w) ==              \* any attempt may fail a claimed job, whatever its epoch
    status[attempt[w].job] = "claimed"

-----------------------------------------------------------------------------
Init ==
    /\ status = [j \in Jobs |-> "runnable"]
    /\ epoch = [j \in Jobs |-> 0]
    /\ lease = [j \in Jobs |-> "none"]
    /\ attempt = [w \in Workers |-> NoAttempt]
    /\ applied = {}
    /\ lastAction = [name |-> "Init", args |-> NoArgs]

(* A worker claims a runnable job while its budget lasts: a new attempt,  *)
(* a higher epoch, a live lease.                                          *)
Claim(w, j) ==
    /\ attempt[w] = NoAttempt
    /\ status[j] = "runnable"
    /\ epoch[j] < MaxEpoch
    /\ RetryBudget(j, epoch[j])
    /\ status' = [status EXCEPT ![j] = "claimed"]
    /\ epoch' = [epoch EXCEPT ![j] = @ + 1]
    /\ lease' = [lease EXCEPT ![j] = "live"]
    /\ attempt' = [attempt EXCEPT ![w] = [job |-> j, epoch |-> epoch[j] + 1, phase |-> "running"]]
    /\ Step("Claim", [w |-> w, j |-> j])
    /\ UNCHANGED applied

(* The handler applies the job's effect through the idempotency boundary, *)
(* fenced by the epoch (FM_001's guard, in place here): the effect lands  *)
(* and is recorded unless its key says it already landed.                 *)
Apply(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt[w].phase = "running"
    /\ Current(w)
    /\ applied' = IF EffectLanded(w) THEN applied
                  ELSE applied \cup {[job |-> attempt[w].job, epoch |-> attempt[w].epoch]}
    /\ attempt' = [attempt EXCEPT ![w].phase = "applied"]
    /\ Step("Apply", [w |-> w])
    /\ UNCHANGED <<status, epoch, lease>>

(* The worker reports the job done; the store accepts the current epoch.  *)
Complete(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt[w].phase = "applied"
    /\ Current(w)
    /\ status' = [status EXCEPT ![attempt[w].job] = "done"]
    /\ lease' = [lease EXCEPT ![attempt[w].job] = "none"]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Complete", [w |-> w])
    /\ UNCHANGED <<epoch, applied>>

(* The handler fails before its effect: retry while the budget lasts,     *)
(* else dead letter, where an operator finds it with its reason.  A worker *)
(* cut off from the store by a partition reports it late, as a zombie.    *)
Fail(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt[w].phase = "running"
    /\ FailFence(w)
    /\ LET j == attempt[w].job IN
       /\ status' = [status EXCEPT ![j] = IF RetryBudget(j, attempt[w].epoch) THEN "runnable" ELSE "dead"]
       /\ lease' = [lease EXCEPT ![j] = "none"]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Fail", [w |-> w])
    /\ UNCHANGED <<epoch, applied>>

(* The worker process dies and restarts with nothing; the store still     *)
(* says its job is claimed, under a lease that will run out.              *)
Crash(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Crash", [w |-> w])
    /\ UNCHANGED <<status, epoch, lease, applied>>

(* Time passes the lease of a claimed job: its holder may be dead or only *)
(* slow, which the queue cannot tell apart.                               *)
ExpireLease(j) ==
    /\ status[j] = "claimed"
    /\ lease[j] = "live"
    /\ status' = [status EXCEPT ![j] = AfterExpiry(j)]
    /\ lease' = [lease EXCEPT ![j] = "expired"]
    /\ Step("ExpireLease", [j |-> j])
    /\ UNCHANGED <<epoch, attempt, applied>>

(* A worker whose attempt is no longer current learns it from the store's *)
(* refusal and drops the attempt.                                         *)
RejectStale(w) ==
    /\ attempt[w] # NoAttempt
    /\ ~Current(w)
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("RejectStale", [w |-> w])
    /\ UNCHANGED <<status, epoch, lease, applied>>

(* Nothing left to do, or nothing that can be done: the system idles.     *)
Done == UNCHANGED vars

Next ==
    \/ \E w \in Workers, j \in Jobs : Claim(w, j)
    \/ \E w \in Workers : Apply(w) \/ Complete(w) \/ Fail(w) \/ Crash(w) \/ RejectStale(w)
    \/ \E j \in Jobs : ExpireLease(j)
    \/ Done

Spec == Init /\ [][Next]_vars

(* Live workers keep working and leases keep running out; a crash or a    *)
(* failing handler is never owed.                                         *)
Fairness ==
    /\ \A w \in Workers, j \in Jobs : WF_vars(Claim(w, j))
    /\ \A w \in Workers : WF_vars(Apply(w)) /\ WF_vars(Complete(w)) /\ WF_vars(RejectStale(w))
    /\ \A j \in Jobs : WF_vars(ExpireLease(j))

LiveSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(* INV_001, logical idempotency: no job key has more than one effect.     *)
INV_001 ==
    \A j \in Jobs : Cardinality(EffectsOf(j)) <= 1

(* Attempts per job never exceed the retry budget.                        *)
AttemptsWithinBudget ==
    \A j \in Jobs : epoch[j] <= Budget

(* Until its lease runs out, no write takes a job from the attempt that   *)
(* holds it: the job stays claimed until that attempt finishes it.        *)
CurrentAttemptKeepsItsJob ==
    \A w \in Workers :
        LET j == attempt[w].job IN
        (attempt[w] # NoAttempt /\ attempt[w].epoch = epoch[j] /\ lease[j] # "expired")
            => status[j] \in {"claimed", "done"}

(* Every claimed job is eventually completed or dead-lettered.            *)
ClaimedJobsFinish ==
    \A j \in Jobs : (status[j] = "claimed") ~> (status[j] \in {"done", "dead"})
=============================================================================
