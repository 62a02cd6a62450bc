---------------------------- MODULE LeaseExpiry ----------------------------
(***************************************************************************)
(* FM_001: duplicate execution after a lease expires.                      *)
(*                                                                         *)
(* A queue hands a job to a worker under a lease.  The worker is slow; the *)
(* lease expires; the queue, rightly, hands the same job to a second       *)
(* worker.  Delivery is at-least-once, so both workers now run the job.    *)
(* What must not happen is that both apply its external effect (a charge,  *)
(* an email): INV_001, logical idempotency, says each job key has at most  *)
(* one committed effect.  The guard is the commit boundary: an effect is   *)
(* committed only under the job's stable key, once, and only by the       *)
(* attempt that currently holds the job (the epoch is the fencing token).  *)
(*                                                                         *)
(* As in A09, the guard is a named operator with an "Incorrectly" twin; a *)
(* bug config overrides it and changes nothing else.                       *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Workers,    \* the worker processes
    Jobs,       \* job keys: the stable identity of each job's effect
    MaxTime,    \* the bounded model's time horizon
    MaxEpoch,   \* how many attempts one job may have in the bounded model
    LeaseTtl,   \* how long a lease lasts
    NoAttempt   \* a model value: the worker holds no attempt

ASSUME MaxTime \in Nat /\ MaxEpoch \in Nat \ {0} /\ LeaseTtl \in Nat \ {0}

VARIABLES
    now,        \* the authoritative clock
    epoch,      \* epoch[j]: the current attempt's epoch (0: never leased)
    leaseUntil, \* leaseUntil[j]: when the current lease expires
    attempt,    \* attempt[w]: the attempt worker w believes it holds
    effects,    \* effects[j]: external effects committed under job key j
    lastAction  \* the step just taken and its arguments, for replaying traces

vars == <<now, epoch, leaseUntil, attempt, effects, lastAction>>

(* lastAction only labels the step, so the model config folds it away.    *)
view == <<now, epoch, leaseUntil, attempt, effects>>

Attempts == [job : Jobs, epoch : 1..MaxEpoch]
ActionNames == {"Init", "Tick", "Lease", "Commit", "RejectCommit"}

NoArgs == [x \in {} |-> x]
Step(name, args) == lastAction' = [name |-> name, args |-> args]

TypeOK ==
    /\ now \in 0..MaxTime
    /\ epoch \in [Jobs -> 0..MaxEpoch]
    /\ leaseUntil \in [Jobs -> 0..(MaxTime + LeaseTtl)]
    /\ attempt \in [Workers -> Attempts \cup {NoAttempt}]
    /\ effects \in [Jobs -> 0..MaxEpoch]
    /\ lastAction.name \in ActionNames

-----------------------------------------------------------------------------
(* The guard: commit the effect only if the job key has none yet and the  *)
(* committing attempt is the current one.                                 *)
CommitGuard(w) ==
    /\ effects[attempt[w].job] = 0
    /\ attempt[w].epoch = epoch[attempt[w].job]
IncorrectlyCommitGuard(w) == TRUE   \* every attempt that finishes commits

-----------------------------------------------------------------------------
Init ==
    /\ now = 0
    /\ epoch = [j \in Jobs |-> 0]
    /\ leaseUntil = [j \in Jobs |-> 0]
    /\ attempt = [w \in Workers |-> NoAttempt]
    /\ effects = [j \in Jobs |-> 0]
    /\ lastAction = [name |-> "Init", args |-> NoArgs]

(* Time moves on; a lease not renewed by now has expired.                 *)
Tick ==
    /\ now < MaxTime
    /\ now' = now + 1
    /\ Step("Tick", NoArgs)
    /\ UNCHANGED <<epoch, leaseUntil, attempt, effects>>

(* The queue leases an unfinished job whose lease is free or expired to a *)
(* worker, opening a new attempt.  Handing out an expired job again is    *)
(* right: the first worker may be dead.                                   *)
Lease(w, j) ==
    /\ attempt[w] = NoAttempt
    /\ effects[j] = 0
    /\ now >= leaseUntil[j]
    /\ epoch[j] < MaxEpoch
    /\ epoch' = [epoch EXCEPT ![j] = @ + 1]
    /\ leaseUntil' = [leaseUntil EXCEPT ![j] = now + LeaseTtl]
    /\ attempt' = [attempt EXCEPT ![w] = [job |-> j, epoch |-> epoch[j] + 1]]
    /\ Step("Lease", [w |-> w, j |-> j])
    /\ UNCHANGED <<now, effects>>

(* The worker ran the handler and commits its external effect through the *)
(* commit boundary.                                                       *)
Commit(w) ==
    /\ attempt[w] # NoAttempt
    /\ CommitGuard(w)
    /\ effects' = [effects EXCEPT ![attempt[w].job] = @ + 1]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Commit", [w |-> w])
    /\ UNCHANGED <<now, epoch, leaseUntil>>

(* The boundary refuses the commit: the key already has its effect, or    *)
(* the attempt is stale.  The worker drops its attempt.                   *)
RejectCommit(w) ==
    /\ attempt[w] # NoAttempt
    /\ ~CommitGuard(w)
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("RejectCommit", [w |-> w])
    /\ UNCHANGED <<now, epoch, leaseUntil, effects>>

(* The bounded model's horizon: once time is spent the system may idle.   *)
Done ==
    /\ now = MaxTime
    /\ UNCHANGED vars

Next ==
    \/ Tick
    \/ \E w \in Workers, j \in Jobs : Lease(w, j)
    \/ \E w \in Workers : Commit(w) \/ RejectCommit(w)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* INV_001, logical idempotency: no job key has more than one committed   *)
(* external effect.                                                       *)
INV_001 ==
    \A j \in Jobs : effects[j] <= 1
=============================================================================
