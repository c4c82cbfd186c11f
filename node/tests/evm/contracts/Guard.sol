// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A contract that reverts with a reason string or a custom error, so that the tests can
/// check that clients see why a call failed.
contract Guard {
    error Unauthorized(address caller);

    uint256 public limit = 100;

    function check(uint256 amount) external view returns (uint256) {
        require(amount <= limit, "Guard: amount above limit");
        return amount;
    }

    function adminOnly() external view {
        revert Unauthorized(msg.sender);
    }
}
