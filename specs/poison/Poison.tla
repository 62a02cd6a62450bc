------------------------------- MODULE Poison -------------------------------
(***************************************************************************)
(* A poison message: a job whose every delivery fails, most often by       *)
(* killing the worker that runs it (a payload that exhausts its memory, a  *)
(* decoder that crashes the process), so no failure is ever reported.      *)
(*                                                                         *)
(* Workers claim runnable jobs; every claim is a delivery, with a higher   *)
(* epoch and a lease.  A delivery ends in one of three ways: the handler   *)
(* succeeds and the job completes; the handler fails and says so, and the  *)
(* job is retried while the retry budget lasts, else dead-lettered; or the *)
(* handler kills its worker, nothing is reported, and the job comes back   *)
(* only when its lease runs out.  The budget protects the queue only if a  *)
(* delivery counts whether or not its worker lived to report it: a poison  *)
(* message that is never reported is otherwise delivered for ever, taking  *)
(* a worker with it every time, and no operator ever hears of it.          *)
(*                                                                         *)
(* The guard this model's failure mode removes is a named operator with    *)
(* its "Incorrectly" twin beside it; the bug config overrides it, nothing  *)
(* else.                                                                   *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Workers,    \* the worker processes
    Jobs,       \* job keys
    Budget,     \* the retry policy: deliveries a job may have before it is dead-lettered
    MaxEpoch,   \* the bounded model's horizon: deliveries per job, guard or not
    NoAttempt   \* a model value: the worker holds no delivery

ASSUME Budget \in Nat \ {0} /\ MaxEpoch \in Nat /\ Budget < MaxEpoch

VARIABLES
    status,     \* status[j]: "runnable", "claimed", "done" or "dead" (dead-lettered)
    epoch,      \* epoch[j]: deliveries so far; the current delivery's fencing token
    lease,      \* lease[j]: "none", "live", or "expired" (the last delivery's lease ran out)
    attempt,    \* attempt[w]: the delivery worker w holds
    lastAction  \* the step just taken and its arguments, for replaying traces

vars == <<status, epoch, lease, attempt, lastAction>>

(* lastAction only labels the step; the safety configs fold it away.      *)
view == <<status, epoch, lease, attempt>>

Statuses == {"runnable", "claimed", "done", "dead"}
Attempts == [job : Jobs, epoch : 1..MaxEpoch]
ActionNames == {"Init", "Claim", "Complete", "Fail", "Crash", "ExpireLease"}

NoArgs == [x \in {} |-> x]
Step(name, args) == lastAction' = [name |-> name, args |-> args]

TypeOK ==
    /\ status \in [Jobs -> Statuses]
    /\ epoch \in [Jobs -> 0..MaxEpoch]
    /\ lease \in [Jobs -> {"none", "live", "expired"}]
    /\ attempt \in [Workers -> Attempts \cup {NoAttempt}]
    /\ lastAction.name \in ActionNames

(* Some live worker holds a delivery of job j.  A worker's delivery is    *)
(* always the job's current one here: a lease runs out only once its      *)
(* holder is dead (a slow holder is fm005's zombie, not this model's).    *)
Held(j) == \E w \in Workers : attempt[w] # NoAttempt /\ attempt[w].job = j

(* The retry policy on a reported failure: another delivery while the     *)
(* failing one was not the last of the budget.  Not this model's guard:   *)
(* reported failures are counted either way.                              *)
RetryBudget(e) == e < Budget

-----------------------------------------------------------------------------
(***************************************************************************)
(* The guard.  The one place the bug variant changes.                      *)
(***************************************************************************)

(* Whether job j may be delivered again: every delivery counts against    *)
(* the budget, the ones whose worker died without a word too.  Asked at   *)
(* the claim and where a lease runs out.                                  *)
DeliveryBudget(j) == epoch[j] < Budget
IncorrectlyDeliveryBudget(j) == TRUE    \* only a reported failure spends the budget

-----------------------------------------------------------------------------
Init ==
    /\ status = [j \in Jobs |-> "runnable"]
    /\ epoch = [j \in Jobs |-> 0]
    /\ lease = [j \in Jobs |-> "none"]
    /\ attempt = [w \in Workers |-> NoAttempt]
    /\ lastAction = [name |-> "Init", args |-> NoArgs]

(* A worker claims a runnable job within its budget: a delivery, with a   *)
(* higher epoch and a live lease.                                         *)
Claim(w, j) ==
    /\ attempt[w] = NoAttempt
    /\ status[j] = "runnable"
    /\ epoch[j] < MaxEpoch
    /\ DeliveryBudget(j)
    /\ status' = [status EXCEPT ![j] = "claimed"]
    /\ epoch' = [epoch EXCEPT ![j] = @ + 1]
    /\ lease' = [lease EXCEPT ![j] = "live"]
    /\ attempt' = [attempt EXCEPT ![w] = [job |-> j, epoch |-> epoch[j] + 1]]
    /\ Step("Claim", [w |-> w, j |-> j])

(* The handler succeeds and the worker reports the job done.              *)
Complete(w) ==
    /\ attempt[w] # NoAttempt
    /\ status' = [status EXCEPT ![attempt[w].job] = "done"]
    /\ lease' = [lease EXCEPT ![attempt[w].job] = "none"]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Complete", [w |-> w])
    /\ UNCHANGED epoch

(* The handler fails and the worker says so: retried while the budget     *)
(* lasts, else dead-lettered with the failure as its reason.              *)
Fail(w) ==
    /\ attempt[w] # NoAttempt
    /\ LET j == attempt[w].job IN
       /\ status' = [status EXCEPT ![j] = IF RetryBudget(attempt[w].epoch) THEN "runnable" ELSE "dead"]
       /\ lease' = [lease EXCEPT ![j] = "none"]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Fail", [w |-> w])
    /\ UNCHANGED epoch

(* The handler kills its worker: the process dies and restarts with       *)
(* nothing, having reported nothing; the store still says the job is      *)
(* claimed, under a lease that will run out.                              *)
Crash(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Crash", [w |-> w])
    /\ UNCHANGED <<status, epoch, lease>>

(* The lease of a job whose worker died runs out, and the reaper takes it *)
(* back: another delivery while the budget lasts, else a dead letter      *)
(* whose reason is the expired lease.                                     *)
ExpireLease(j) ==
    /\ status[j] = "claimed"
    /\ lease[j] = "live"
    /\ ~Held(j)
    /\ status' = [status EXCEPT ![j] = IF DeliveryBudget(j) THEN "runnable" ELSE "dead"]
    /\ lease' = [lease EXCEPT ![j] = "expired"]
    /\ Step("ExpireLease", [j |-> j])
    /\ UNCHANGED <<epoch, attempt>>

(* Nothing left to do, or nothing that can be done: the system idles.     *)
Done == UNCHANGED vars

Next ==
    \/ \E w \in Workers, j \in Jobs : Claim(w, j)
    \/ \E w \in Workers : Complete(w) \/ Fail(w) \/ Crash(w)
    \/ \E j \in Jobs : ExpireLease(j)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* A job whose last delivery of its budget ended with its lease running   *)
(* out (its worker died on it) is dead-lettered, the expired lease its    *)
(* reason: a delivery counts whether or not its worker lived to report.   *)
PoisonDeadLettered ==
    \A j \in Jobs : (lease[j] = "expired" /\ epoch[j] >= Budget) => status[j] = "dead"
=============================================================================
