-------------------------------- MODULE A09 --------------------------------
(***************************************************************************)
(* A09: Future Constraint + Claimable Run.                                 *)
(*                                                                         *)
(* Logical runs sit in a source schedule until their due time.  A due      *)
(* scanner, driven by a timer, picks up due runs, makes each durable as a  *)
(* runnable unit, and then records its progress in a checkpoint, like a    *)
(* consumer of a log.  Workers claim a runnable unit exclusively, under a  *)
(* lease; every claim opens a new attempt with a higher epoch, the fencing *)
(* token that a completion must carry.  A lease that expires may be        *)
(* reclaimed by another worker, which is exactly when a slow first worker  *)
(* becomes a zombie.                                                       *)
(*                                                                         *)
(* Every guard that a failure mode removes is a named operator below, with *)
(* its "Incorrectly" twin beside it.  The specification as written is the  *)
(* guarded baseline; a bug variant's model config overrides one guard with *)
(* its twin (CONSTANT Guard <- IncorrectlyGuard) and nothing else.         *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Workers,    \* the worker processes that claim runnable units
    Runs,       \* the logical runs in the source schedule
    DueAt,      \* DueAt[r]: the earliest time run r may become runnable
    MaxTime,    \* the bounded model's time horizon
    MaxEpoch,   \* how many attempts one run may have in the bounded model
    LeaseTtl,   \* how long a claim's lease lasts
    NoAttempt   \* a model value: the worker holds no attempt

ASSUME /\ DueAt \in [Runs -> 1..MaxTime]
       /\ MaxTime \in Nat /\ MaxEpoch \in Nat \ {0} /\ LeaseTtl \in Nat \ {0}

VARIABLES
    now,            \* the authoritative clock
    scheduled,      \* runs still outstanding in the source schedule
    taken,          \* runs the scanner picked up and has not yet made durable
    checkpoint,     \* the scanner's durable progress marker: schedule consumed up to here
    unit,           \* unit[r]: the runnable unit of run r
    claimers,       \* claimers[r]: the workers the store has granted r's claim to
    epoch,          \* epoch[r]: the current attempt's epoch (0: never claimed)
    leaseUntil,     \* leaseUntil[r]: when the current claim's lease expires
    attempt,        \* attempt[w]: the attempt worker w believes it holds
    completedEpoch, \* completedEpoch[r]: the epoch whose completion was accepted (0: none)
    lastAction      \* the step just taken and its arguments, for replaying traces

vars == <<now, scheduled, taken, checkpoint, unit, claimers, epoch, leaseUntil,
          attempt, completedEpoch, lastAction>>

(* lastAction only labels the step; two states that differ in it alone are *)
(* the same state of the system, so the model configs fold it away.        *)
view == <<now, scheduled, taken, checkpoint, unit, claimers, epoch, leaseUntil,
          attempt, completedEpoch>>

UnitStates == {"none", "runnable", "claimed", "completed"}
Attempts == [run : Runs, epoch : 1..MaxEpoch]
ActionNames == {"Init", "Tick", "Scan", "Materialize", "AdvanceCheckpoint",
                "Claim", "Complete", "RejectStale"}

NoArgs == [x \in {} |-> x]
Step(name, args) == lastAction' = [name |-> name, args |-> args]

TypeOK ==
    /\ now \in 0..MaxTime
    /\ scheduled \subseteq Runs
    /\ taken \subseteq Runs
    /\ checkpoint \in 0..MaxTime
    /\ unit \in [Runs -> UnitStates]
    /\ claimers \in [Runs -> SUBSET Workers]
    /\ epoch \in [Runs -> 0..MaxEpoch]
    /\ leaseUntil \in [Runs -> 0..(MaxTime + LeaseTtl)]
    /\ attempt \in [Workers -> Attempts \cup {NoAttempt}]
    /\ completedEpoch \in [Runs -> 0..MaxEpoch]
    /\ lastAction.name \in ActionNames

-----------------------------------------------------------------------------
(***************************************************************************)
(* The guards.  Each is the one place a bug variant changes.               *)
(***************************************************************************)

(* The latest due time the scanner may release.  A timer event is only a  *)
(* trigger: the release must still check the authoritative clock.         *)
DueBoundary == now
IncorrectlyDueBoundary == now + 1       \* trusts a timer that fired a tick early

(* Where the scanner's window starts.  Catching up from the checkpoint is *)
(* what picks up work that became due while the scanner was not running. *)
ScanFrom == checkpoint + 1
IncorrectlyScanFrom == now              \* looks at the current slot only

(* What is left outstanding in the schedule once the scanner takes r.     *)
ScheduleAfterTake(r) == scheduled \ {r}
IncorrectlyScheduleAfterTake(r) == scheduled   \* the run stays outstanding

(* The checkpoint may move only when what was taken is durable.           *)
DurableFirst == taken = {}
IncorrectlyDurableFirst == TRUE

(* A claim is exclusive: granted only when no live claimer holds the unit.*)
LiveClaimers(r) == IF now >= leaseUntil[r] THEN {} ELSE claimers[r]
ClaimGuard(r) == LiveClaimers(r) = {}
IncorrectlyClaimGuard(r) == TRUE

(* A completion is accepted only from the current attempt's epoch.        *)
CompletionFence(w) == attempt[w].epoch = epoch[attempt[w].run]
IncorrectlyCompletionFence(w) == TRUE

-----------------------------------------------------------------------------
InWindow(r) == DueAt[r] \in ScanFrom..DueBoundary

Init ==
    /\ now = 0
    /\ scheduled = Runs
    /\ taken = {}
    /\ checkpoint = 0
    /\ unit = [r \in Runs |-> "none"]
    /\ claimers = [r \in Runs |-> {}]
    /\ epoch = [r \in Runs |-> 0]
    /\ leaseUntil = [r \in Runs |-> 0]
    /\ attempt = [w \in Workers |-> NoAttempt]
    /\ completedEpoch = [r \in Runs |-> 0]
    /\ lastAction = [name |-> "Init", args |-> NoArgs]

(* The timer fires: time moves on, whatever the scanner is doing.         *)
Tick ==
    /\ now < MaxTime
    /\ now' = now + 1
    /\ Step("Tick", NoArgs)
    /\ UNCHANGED <<scheduled, taken, checkpoint, unit, claimers, epoch,
                   leaseUntil, attempt, completedEpoch>>

(* The scanner reads a due run from the schedule and marks it taken.      *)
Scan(r) ==
    /\ r \in scheduled \ taken
    /\ InWindow(r)
    /\ taken' = taken \cup {r}
    /\ scheduled' = ScheduleAfterTake(r)
    /\ Step("Scan", [r |-> r])
    /\ UNCHANGED <<now, checkpoint, unit, claimers, epoch, leaseUntil,
                   attempt, completedEpoch>>

(* The durable write: the taken run becomes a runnable unit.              *)
Materialize(r) ==
    /\ r \in taken
    /\ unit' = [unit EXCEPT ![r] = "runnable"]
    /\ taken' = taken \ {r}
    /\ Step("Materialize", [r |-> r])
    /\ UNCHANGED <<now, scheduled, checkpoint, claimers, epoch, leaseUntil,
                   attempt, completedEpoch>>

(* The scanner records that the schedule is consumed up to now: output    *)
(* first, progress marker second.                                         *)
AdvanceCheckpoint ==
    /\ checkpoint < now
    /\ DurableFirst
    /\ \A r \in scheduled : ~InWindow(r)
    /\ checkpoint' = now
    /\ Step("AdvanceCheckpoint", NoArgs)
    /\ UNCHANGED <<now, scheduled, taken, unit, claimers, epoch, leaseUntil,
                   attempt, completedEpoch>>

(* A worker claims a runnable unit, or reclaims one whose lease expired.  *)
(* The store's conditional write grants the claim and opens a new epoch.  *)
Claim(w, r) ==
    /\ attempt[w] = NoAttempt
    /\ unit[r] \in {"runnable", "claimed"}
    /\ epoch[r] < MaxEpoch
    /\ ClaimGuard(r)
    /\ unit' = [unit EXCEPT ![r] = "claimed"]
    /\ claimers' = [claimers EXCEPT ![r] = LiveClaimers(r) \cup {w}]
    /\ epoch' = [epoch EXCEPT ![r] = @ + 1]
    /\ leaseUntil' = [leaseUntil EXCEPT ![r] = now + LeaseTtl]
    /\ attempt' = [attempt EXCEPT ![w] = [run |-> r, epoch |-> epoch[r] + 1]]
    /\ Step("Claim", [w |-> w, r |-> r])
    /\ UNCHANGED <<now, scheduled, taken, checkpoint, completedEpoch>>

(* A worker reports its attempt done; the store accepts it if fenced.     *)
Complete(w) ==
    /\ attempt[w] # NoAttempt
    /\ unit[attempt[w].run] = "claimed"
    /\ CompletionFence(w)
    /\ LET r == attempt[w].run IN
       /\ unit' = [unit EXCEPT ![r] = "completed"]
       /\ completedEpoch' = [completedEpoch EXCEPT ![r] = attempt[w].epoch]
       /\ claimers' = [claimers EXCEPT ![r] = @ \ {w}]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Complete", [w |-> w])
    /\ UNCHANGED <<now, scheduled, taken, checkpoint, epoch, leaseUntil>>

(* The store refuses a completion from a stale epoch; the zombie worker   *)
(* learns it lost the run and drops its attempt.                          *)
RejectStale(w) ==
    /\ attempt[w] # NoAttempt
    /\ ~CompletionFence(w)
    /\ claimers' = [claimers EXCEPT ![attempt[w].run] = @ \ {w}]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("RejectStale", [w |-> w])
    /\ UNCHANGED <<now, scheduled, taken, checkpoint, unit, epoch, leaseUntil,
                   completedEpoch>>

(* The bounded model's horizon: once time is spent the system may idle;   *)
(* without this TLC would call the end of time a deadlock.                *)
Done ==
    /\ now = MaxTime
    /\ UNCHANGED vars

Next ==
    \/ Tick
    \/ \E r \in Runs : Scan(r) \/ Materialize(r)
    \/ AdvanceCheckpoint
    \/ \E w \in Workers, r \in Runs : Claim(w, r)
    \/ \E w \in Workers : Complete(w) \/ RejectStale(w)
    \/ Done

Spec == Init /\ [][Next]_vars

(* The scanner and the timer keep going; workers need no fairness for the *)
(* property below.                                                        *)
Fairness ==
    /\ WF_vars(Tick)
    /\ WF_vars(AdvanceCheckpoint)
    /\ \A r \in Runs : WF_vars(Scan(r)) /\ WF_vars(Materialize(r))

LiveSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* The invariants of the A09 failure workbook, one per bug.                *)
(***************************************************************************)

(* Work is never runnable before it is due.                               *)
NoEarlyRunnable ==
    \A r \in Runs : unit[r] # "none" => DueAt[r] <= now

(* A run that has a runnable unit is no longer outstanding in the         *)
(* schedule, or it would be materialised again.                           *)
MaterializedRunRemovedFromSchedule ==
    \A r \in Runs : unit[r] # "none" => r \notin scheduled

(* A completed run was completed by its current attempt.                  *)
CompletedUsesCurrentEpoch ==
    \A r \in Runs : unit[r] = "completed" => completedEpoch[r] = epoch[r]

(* At most one worker holds the claim on a unit.                          *)
AtMostOneClaimer ==
    \A r \in Runs : Cardinality(claimers[r]) <= 1

(* The checkpoint never passes a run the scanner took but has not yet     *)
(* made durable: a crash there would lose the run.                        *)
CheckpointAfterDurableMaterialization ==
    \A r \in taken : DueAt[r] > checkpoint

(* Nothing the checkpoint has passed is still waiting in the schedule:    *)
(* the bounded stand-in for "overdue work is eventually materialised".    *)
NoOverdueScheduled ==
    \A r \in scheduled : DueAt[r] > checkpoint

(* The liveness property itself, checked under LiveSpec's fairness.       *)
EveryDueRunMaterialized ==
    \A r \in Runs : <>(unit[r] # "none")
=============================================================================
