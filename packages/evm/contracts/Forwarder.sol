// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Forwarder {
    function balanceOf(address owner) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
}

/// An exchange deposit contract: ETH sent to it is forwarded to the exchange's hot wallet in the same transaction
/// (an internal transfer); tokens are swept by anyone calling `flushToken`.
contract Forwarder {
    address payable public immutable target;

    constructor(address payable target_) {
        target = target_;
    }

    receive() external payable {
        (bool ok, ) = target.call{value: msg.value}("");
        require(ok, "Forwarder: send failed");
    }

    function flushToken(address token) external {
        IERC20Forwarder t = IERC20Forwarder(token);
        require(t.transfer(target, t.balanceOf(address(this))), "Forwarder: transfer");
    }
}
