// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Bridge {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// A bridge-like sink: value locked here is released on another chain (not modelled).
contract Bridge {
    uint256 public nonce;

    event Locked(
        address indexed sender,
        address indexed token,
        uint256 amount,
        uint256 destChainId,
        address destAddress,
        uint256 nonce
    );

    function lock(uint256 destChainId, address destAddress) external payable {
        require(msg.value > 0, "Bridge: nothing to lock");
        emit Locked(msg.sender, address(0), msg.value, destChainId, destAddress, nonce++);
    }

    function lockToken(address token, uint256 amount, uint256 destChainId, address destAddress) external {
        require(IERC20Bridge(token).transferFrom(msg.sender, address(this), amount), "Bridge: transferFrom");
        emit Locked(msg.sender, token, amount, destChainId, destAddress, nonce++);
    }
}
