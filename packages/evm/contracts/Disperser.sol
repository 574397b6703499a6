// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Disperser {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// Pays many addresses in one transaction (like disperse.app): ETH as internal transfers, tokens via transferFrom.
contract Disperser {
    function disperseEther(address payable[] calldata recipients, uint256[] calldata values) external payable {
        require(recipients.length == values.length, "Disperser: lengths");
        uint256 total;
        for (uint256 i = 0; i < recipients.length; i++) {
            total += values[i];
            (bool ok, ) = recipients[i].call{value: values[i]}("");
            require(ok, "Disperser: send failed");
        }
        require(total == msg.value, "Disperser: value mismatch");
    }

    function disperseToken(address token, address[] calldata recipients, uint256[] calldata values) external {
        require(recipients.length == values.length, "Disperser: lengths");
        for (uint256 i = 0; i < recipients.length; i++) {
            require(IERC20Disperser(token).transferFrom(msg.sender, recipients[i], values[i]), "Disperser: transfer");
        }
    }
}
