// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Pool {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// A minimal constant-product pool between ETH and one token (0.3% fee, like Uniswap v1/v2).
contract SwapPool {
    IERC20Pool public immutable token;
    uint256 public reserveEth;
    uint256 public reserveToken;

    event LiquidityAdded(address indexed provider, uint256 ethAmount, uint256 tokenAmount);
    event Swap(address indexed trader, uint256 ethIn, uint256 tokenIn, uint256 ethOut, uint256 tokenOut);

    constructor(address token_) {
        token = IERC20Pool(token_);
    }

    /// Output for `amountIn` against reserves `reserveIn`/`reserveOut`, after the 0.3% fee.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        uint256 inWithFee = amountIn * 997;
        return (inWithFee * reserveOut) / (reserveIn * 1000 + inWithFee);
    }

    function addLiquidity(uint256 tokenAmount) external payable {
        require(token.transferFrom(msg.sender, address(this), tokenAmount), "SwapPool: transferFrom");
        reserveEth += msg.value;
        reserveToken += tokenAmount;
        emit LiquidityAdded(msg.sender, msg.value, tokenAmount);
    }

    /// Pulls `amountIn` tokens and sends the ETH out to the caller (an internal transfer).
    function swapTokenForEth(uint256 amountIn, uint256 minOut) external returns (uint256 out) {
        out = getAmountOut(amountIn, reserveToken, reserveEth);
        require(out >= minOut, "SwapPool: slippage");
        require(token.transferFrom(msg.sender, address(this), amountIn), "SwapPool: transferFrom");
        reserveToken += amountIn;
        reserveEth -= out;
        (bool ok, ) = msg.sender.call{value: out}("");
        require(ok, "SwapPool: ETH send failed");
        emit Swap(msg.sender, 0, amountIn, out, 0);
    }

    function swapEthForToken(uint256 minOut) external payable returns (uint256 out) {
        out = getAmountOut(msg.value, reserveEth, reserveToken);
        require(out >= minOut, "SwapPool: slippage");
        reserveEth += msg.value;
        reserveToken -= out;
        require(token.transfer(msg.sender, out), "SwapPool: transfer");
        emit Swap(msg.sender, msg.value, 0, 0, out);
    }
}
