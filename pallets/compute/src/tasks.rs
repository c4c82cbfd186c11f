//! Fine-tuning tasks: escrow, delivery, acknowledgement and the timeout split.

use crate::pallet::*;
use crate::types::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_task(
		user: T::AccountId,
		provider: T::AccountId,
		dataset_root: [u8; 32],
		fee: BalanceOf<T>,
		deliver_by: BlockNumberFor<T>,
	) -> DispatchResult {
		let params = Self::params()?;
		ensure!(!fee.is_zero(), Error::<T>::ZeroAmount);
		let service = Self::live_service(&provider)?;
		ensure!(service.info.kind == ServiceKind::FineTuning, Error::<T>::WrongServiceKind);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			deliver_by > now && deliver_by <= now.saturating_add(params.max_task_duration),
			Error::<T>::BadDeadline
		);
		let mut ledger = Ledgers::<T>::get(&user).ok_or(Error::<T>::UnknownLedger)?;
		ensure!(ledger.available >= fee, Error::<T>::InsufficientLedger);
		Self::hold_record_deposit(&user, params.record_deposit)?;
		ledger.available -= fee;
		Ledgers::<T>::insert(&user, ledger);
		let id = NextTaskId::<T>::get();
		NextTaskId::<T>::put(id.saturating_add(1));
		Tasks::<T>::insert(
			id,
			Task {
				user: user.clone(),
				provider: provider.clone(),
				dataset_root,
				fee,
				deposit: params.record_deposit,
				deliver_by,
				state: TaskState::Open,
			},
		);
		Self::deposit_event(Event::TaskCreated { task: id, user, provider, fee, deliver_by });
		Ok(())
	}

	pub(crate) fn do_deliver_task(
		provider: T::AccountId,
		id: TaskId,
		model_root: [u8; 32],
		encrypted_key: BoundedVec<u8, T::MaxKeyLen>,
	) -> DispatchResult {
		let params = Self::params()?;
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(task.provider == provider, Error::<T>::NotTaskProvider);
		ensure!(matches!(task.state, TaskState::Open), Error::<T>::AlreadyDelivered);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= task.deliver_by, Error::<T>::DeadlinePassed);
		let ack_by = now.saturating_add(params.ack_window);
		task.state = TaskState::Delivered { model_root, encrypted_key, ack_by };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskDelivered { task: id, model_root, ack_by });
		Ok(())
	}

	pub(crate) fn do_acknowledge_task(user: T::AccountId, id: TaskId) -> DispatchResult {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		ensure!(task.user == user, Error::<T>::NotTaskUser);
		ensure!(matches!(task.state, TaskState::Delivered { .. }), Error::<T>::NotDelivered);
		Self::pay_out(&task.provider, task.fee)?;
		Self::close_task(id, &task);
		Self::deposit_event(Event::TaskCompleted { task: id, paid: task.fee });
		Ok(())
	}

	pub(crate) fn do_expire_task(id: TaskId) -> DispatchResult {
		let params = Self::params()?;
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let now = frame_system::Pallet::<T>::block_number();
		let paid = match &task.state {
			TaskState::Open => {
				ensure!(now > task.deliver_by, Error::<T>::TaskNotExpired);
				Zero::zero()
			},
			TaskState::Delivered { ack_by, .. } => {
				ensure!(now > *ack_by, Error::<T>::TaskNotExpired);
				params.timeout_share * task.fee
			},
		};
		let refunded = task.fee.saturating_sub(paid);
		let mut ledger = Ledgers::<T>::get(&task.user).unwrap_or_default();
		ledger.available = ledger.available.checked_add(&refunded).ok_or(Error::<T>::Overflow)?;
		Self::pay_out(&task.provider, paid)?;
		Ledgers::<T>::insert(&task.user, ledger);
		Self::close_task(id, &task);
		Self::deposit_event(Event::TaskExpired { task: id, paid, refunded });
		Ok(())
	}

	/// Removes a finished task and gives its storage deposit back.
	fn close_task(id: TaskId, task: &TaskOf<T>) {
		Tasks::<T>::remove(id);
		Self::release_record_deposit(&task.user, task.deposit);
	}
}
